declare module 'fft.js' {
  /** Radix-4 complex FFT of a power-of-two size (indutny/fft.js). Arrays are interleaved [re, im, ...]. */
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    transform(out: ArrayLike<number> & { [i: number]: number }, data: ArrayLike<number>): void;
    inverseTransform(out: ArrayLike<number> & { [i: number]: number }, data: ArrayLike<number>): void;
  }
}
