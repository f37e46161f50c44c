// The optimizers' update rules (src/optim/) over float32 weights and gradients
// and float64 state in linear memory, two weights per f64x2 lane pair. They
// compute exactly what the plain backend's loops in src/core/optim-kernels.ts
// compute: every operation in float64, in the same order (no fused
// multiply-add), the weight rounded to float32 once at the end. So results
// are bit for bit those of the js backend, whatever the kernel variant.
//
// The update reads and writes about 28 bytes per weight (momentum), so it is
// bound by memory bandwidth; in plain JavaScript it took a fifth of a training
// step of a 784-1024-1024-10 network, here a few percent.

/** Lanes 0..1 of a float32 vector as float64. */
// @ts-ignore: decorator
@inline function lo(x: v128): v128 {
  return f64x2.promote_low_f32x4(x);
}

/** Lanes 2..3 of a float32 vector as float64. */
// @ts-ignore: decorator
@inline function hi(x: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 2, 3));
}

/** Two pairs of float64 rounded to float32 and joined into one vector. */
// @ts-ignore: decorator
@inline function join(a: v128, b: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

/** w − lr·(u + wd·w), the step every rule ends with (src/optim/sgd.ts). */
// @ts-ignore: decorator
@inline function step(w: v128, u: v128, lr: v128, wd: v128): v128 {
  return f64x2.sub(w, f64x2.mul(lr, f64x2.add(u, f64x2.mul(wd, w))));
}

// @ts-ignore: decorator
@inline function stepScalar(w: f64, u: f64, lr: f64, wd: f64): f64 {
  return w - lr * (u + wd * w);
}

/** SGD over `n` weights at `w` with gradients at `g`: w ← w − lr·(g + wd·w). */
export function sgdStep(w: usize, g: usize, n: i32, lr: f64, wd: f64): void {
  const LR = f64x2.splat(lr), WD = f64x2.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const wv = v128.load(w + o), gv = v128.load(g + o);
    v128.store(w + o, join(step(lo(wv), lo(gv), LR, WD), step(hi(wv), hi(gv), LR, WD)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(w + o, <f32>stepScalar(<f64>load<f32>(w + o), <f64>load<f32>(g + o), lr, wd));
  }
}

/** v ← β·v + g (+0 turns −0 into +0), and the direction u: v, or g + β·v (Nesterov). */
// @ts-ignore: decorator
@inline function velocity(v: v128, g: v128, beta: v128): v128 {
  return f64x2.add(f64x2.add(f64x2.mul(beta, v), g), f64x2.splat(0));
}

/** Momentum over `n` weights: velocities at `v` (float64), updated in place with the weights. */
export function momentumStep(w: usize, g: usize, v: usize, n: i32, lr: f64, beta: f64, nesterov: bool, wd: f64): void {
  const LR = f64x2.splat(lr), WD = f64x2.splat(wd), BETA = f64x2.splat(beta);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2, o8 = <usize>i << 3;
    const wv = v128.load(w + o), gv = v128.load(g + o);
    const g0 = lo(gv), g1 = hi(gv);
    const v0 = velocity(v128.load(v + o8), g0, BETA);
    const v1 = velocity(v128.load(v + o8, 16), g1, BETA);
    v128.store(v + o8, v0);
    v128.store(v + o8, v1, 16);
    const u0 = nesterov ? f64x2.add(g0, f64x2.mul(BETA, v0)) : v0;
    const u1 = nesterov ? f64x2.add(g1, f64x2.mul(BETA, v1)) : v1;
    v128.store(w + o, join(step(lo(wv), u0, LR, WD), step(hi(wv), u1, LR, WD)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2, o8 = <usize>i << 3;
    const gi = <f64>load<f32>(g + o);
    const vi = beta * load<f64>(v + o8) + gi + 0;
    store<f64>(v + o8, vi);
    const u = nesterov ? gi + beta * vi : vi;
    store<f32>(w + o, <f32>stepScalar(<f64>load<f32>(w + o), u, lr, wd));
  }
}

/**
 * Adam over `n` weights: first moments at `m`, second at `v` (float64), in
 * place. `c1` and `c2` are the bias corrections 1 − β1^t and 1 − β2^t.
 */
export function adamStep(w: usize, g: usize, m: usize, v: usize, n: i32, lr: f64, beta1: f64, beta2: f64, c1: f64, c2: f64, epsilon: f64, wd: f64): void {
  const LR = f64x2.splat(lr), WD = f64x2.splat(wd);
  const B1 = f64x2.splat(beta1), B2 = f64x2.splat(beta2);
  const R1 = f64x2.splat(1 - beta1), R2 = f64x2.splat(1 - beta2);
  const C1 = f64x2.splat(c1), C2 = f64x2.splat(c2), EPS = f64x2.splat(epsilon), ZERO = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2, o8 = <usize>i << 3;
    const gi = f64x2.promote_low_f32x4(v128.load64_zero(g + o));
    const mi = f64x2.add(f64x2.add(f64x2.mul(B1, v128.load(m + o8)), f64x2.mul(R1, gi)), ZERO);
    const vi = f64x2.add(f64x2.mul(B2, v128.load(v + o8)), f64x2.mul(f64x2.mul(R2, gi), gi));
    v128.store(m + o8, mi);
    v128.store(v + o8, vi);
    const u = f64x2.div(f64x2.div(mi, C1), f64x2.add(f64x2.sqrt(f64x2.div(vi, C2)), EPS));
    const wi = f64x2.promote_low_f32x4(v128.load64_zero(w + o));
    v128.store64_lane(w + o, f32x4.demote_f64x2_zero(step(wi, u, LR, WD)), 0);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2, o8 = <usize>i << 3;
    const gi = <f64>load<f32>(g + o);
    const mi = beta1 * load<f64>(m + o8) + (1 - beta1) * gi + 0;
    const vi = beta2 * load<f64>(v + o8) + (1 - beta2) * gi * gi;
    store<f64>(m + o8, mi);
    store<f64>(v + o8, vi);
    const u = mi / c1 / (Math.sqrt(vi / c2) + epsilon);
    store<f32>(w + o, <f32>stepScalar(<f64>load<f32>(w + o), u, lr, wd));
  }
}
