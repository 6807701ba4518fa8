/*
 * Peak FP32 FMA throughput of this machine: the ceiling that any convolution engine's GFLOP/s is measured against
 * (docs/results.md, "Engine training step, fourth pass"). Not part of the build or of CI.
 *   gcc -O2 -mavx2 -mfma -pthread tools/fma-peak.c -o /tmp/fma-peak && /tmp/fma-peak 2
 * K independent AVX2 FMA chains per thread (distinct start values, so the compiler cannot merge them); 12 chains hide
 * the FMA latency on both FMA pipes. Prints GFLOP/s = 2 flops x 8 lanes x FMAs per second, over all threads.
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <time.h>
#define N 2400000000L
#define K 12
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static void* work(void* arg){
  float b=*(float*)arg; __m256 a[K];
  for(int k=0;k<K;k++)a[k]=_mm256_set1_ps(b+k+1);
  const __m256 m=_mm256_set1_ps(0.999999f), c=_mm256_set1_ps(1e-7f);
  for(long i=0;i<N/K;i++){
#pragma GCC unroll 12
    for(int k=0;k<K;k++)a[k]=_mm256_fmadd_ps(a[k],m,c);
  }
  __m256 s=a[0];for(int k=1;k<K;k++)s=_mm256_add_ps(s,a[k]);
  float o[8];_mm256_storeu_ps(o,s);*(float*)arg=o[0];return 0;
}
int main(int argc,char**argv){
  int T=argc>1?atoi(argv[1]):2;
  for(int r=0;r<3;r++){
  pthread_t th[8];float out[8]={0.01f,0.02f,0.03f,0.04f};double t=now();
  for(int i=0;i<T;i++)pthread_create(&th[i],0,work,&out[i]);
  for(int i=0;i<T;i++)pthread_join(th[i],0);
  double dt=now()-t;
  printf("chains %d threads %d: %.1f GFLOP/s (%.3f s) %f\n",K,T,2.0*8*N*T/dt/1e9,dt,out[0]);}
  return 0;
}
