// Types for the parts of @cornerstonejs/codec-openjpeg (Emscripten build of OpenJPEG) that jp2k.ts uses.
declare module '@cornerstonejs/codec-openjpeg/wasmjs' {
  export interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  export interface J2KEncoder {
    getDecodedBuffer(frameInfo: FrameInfo): Uint8Array;
    getEncodedBuffer(): Uint8Array;
    setQuality(lossless: boolean, layers: number): void;
    setCompressionRatio(layer: number, ratio: number): void;
    setDecompositions(n: number): void;
    encode(): void;
    delete(): void;
  }
  export interface J2KDecoder {
    getEncodedBuffer(length: number): Uint8Array;
    getDecodedBuffer(): Uint8Array;
    getFrameInfo(): FrameInfo;
    decode(): void;
    delete(): void;
  }
  export interface OpenJpegModule {
    J2KEncoder: new () => J2KEncoder;
    J2KDecoder: new () => J2KDecoder;
  }
  const factory: (overrides?: { print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<OpenJpegModule>;
  export default factory;
}
