/** Minimal types for libsvm-js (emscripten port of libsvm; the package ships none). */
declare module 'libsvm-js' {
  export interface SvmOptions {
    type?: string;
    kernel?: string;
    gamma?: number;
    cost?: number;
    epsilon?: number;
    nu?: number;
    tolerance?: number;
    shrinking?: boolean;
    quiet?: boolean;
    cacheSize?: number;
  }
  export interface SvmInstance {
    train(samples: number[][], labels: number[]): void;
    predictOne(sample: number[]): number;
    serializeModel(): string;
    free(): void;
  }
  export interface SvmClass {
    new (options: SvmOptions): SvmInstance;
    load(serializedModel: string): SvmInstance;
    SVM_TYPES: Record<'C_SVC' | 'NU_SVC' | 'ONE_CLASS' | 'EPSILON_SVR' | 'NU_SVR', string>;
    KERNEL_TYPES: Record<'LINEAR' | 'POLYNOMIAL' | 'RBF' | 'SIGMOID' | 'PRECOMPUTED', string>;
  }
  const loaded: Promise<SvmClass>;
  export default loaded;
}
