import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BLAS_OVERRIDES, describeBlas, referenceEnv } from '../../bench/reference/process.js';

test('a reference process runs without the OpenBLAS overrides, with its own thread counts', () => {
  const base = { PATH: '/usr/bin', OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '262144', OPENBLAS_NUM_THREADS: '8' };
  const env = referenceEnv({ intraOp: 1, blas: 2 }, base);
  for (const name of BLAS_OVERRIDES) assert.equal(name in env, false, name);
  assert.deepEqual(env, { PATH: '/usr/bin', OPENBLAS_NUM_THREADS: '2', OMP_NUM_THREADS: '1' });
  assert.equal(base.OPENBLAS_CORETYPE, 'Haswell', 'the caller’s environment is left as it was');
});

test('the BLAS a reference ran is named with its kernel, or why it is unknown', () => {
  const openblas = { library: 'openblas', version: '0.3.21', kernel: 'SkylakeX', threads: 2, path: '/usr/lib/libopenblasp-r0.3.21.so' };
  assert.equal(describeBlas([openblas]), 'OpenBLAS 0.3.21 SkylakeX kernel');
  assert.equal(describeBlas([openblas, { ...openblas, library: 'mkl', version: '2023.1', kernel: null }]), 'OpenBLAS 0.3.21 SkylakeX kernel + MKL 2023.1');
  assert.equal(describeBlas([]), 'no BLAS library loaded');
  assert.match(describeBlas({ error: 'threadpoolctl is not installed' }), /^BLAS kernel unknown: threadpoolctl/);
});
