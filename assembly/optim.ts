// Optimizer update kernels: one pass over the parameters, updating them and their slots
// in place. Hyperparameters come from the f32 block `hp` at every call, so a replayed
// plan picks up the host's per-step learning rate and bias corrections.

/** `a·b + c`; fused (possibly, and then correctly rounded once) in the relaxed build. */
@inline function madd4(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * SGD, Keras's rule. hp = [lr, momentum, nesterov (0/1)].
 * `m = momentum·m − lr·g; p += nesterov ? momentum·m − lr·g : m`; with momentum 0,
 * `p -= lr·g` and `m` is not touched (it may be 0).
 *
 * ```ts
 * // hp = [0.01, 0.9, 0]: plain momentum SGD over n parameters
 * k.sgd(p, g, m, n, hp);
 * ```
 */
export function sgd(p: usize, g: usize, m: usize, n: i32, hp: usize): void {
  const lr = load<f32>(hp);
  const momentum = load<f32>(hp, 4);
  const nesterov = load<f32>(hp, 8) != 0;
  if (momentum == 0) sgdPlain(p, g, n, -lr);
  else if (nesterov) sgdMomentum(p, g, m, n, -lr, momentum, true);
  else sgdMomentum(p, g, m, n, -lr, momentum, false);
}

@inline function sgdPlain(p: usize, g: usize, n: i32, nlr: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vnlr = f32x4.splat(nlr);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(p + o, madd4(v128.load(g + o), vnlr, v128.load(p + o)));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(p + o, load<f32>(g + o) * nlr + load<f32>(p + o));
  }
}

@inline function sgdMomentum(p: usize, g: usize, m: usize, n: i32, nlr: f32, mom: f32, nesterov: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vnlr = f32x4.splat(nlr);
    const vmom = f32x4.splat(mom);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      const step = f32x4.mul(v128.load(g + o), vnlr);
      const mv = madd4(v128.load(m + o), vmom, step);
      v128.store(m + o, mv);
      const upd = nesterov ? madd4(mv, vmom, step) : mv;
      v128.store(p + o, f32x4.add(v128.load(p + o), upd));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const step = load<f32>(g + o) * nlr;
    const mv = load<f32>(m + o) * mom + step;
    store<f32>(m + o, mv);
    store<f32>(p + o, load<f32>(p + o) + (nesterov ? mv * mom + step : mv));
  }
}

/**
 * Adam, with AdamW's decoupled weight decay. hp = [lr, beta1, beta2, epsilon,
 * weightDecay, beta1^t, beta2^t] (t counts steps from 1):
 * `p -= p·wd·lr` (skipped when wd = 0), `m += (g − m)(1−β1)`, `v += (g² − v)(1−β2)`,
 * `p -= lr·√(1−β2^t)/(1−β1^t) · m / (√v + ε)`.
 *
 * ```ts
 * // hp = [1e-3, 0.9, 0.999, 1e-7, 0, 0.9 ** t, 0.999 ** t]
 * k.adam(p, g, m, v, n, hp);
 * ```
 */
export function adam(p: usize, g: usize, m: usize, v: usize, n: i32, hp: usize): void {
  const lr = load<f32>(hp);
  const beta1 = load<f32>(hp, 4);
  const beta2 = load<f32>(hp, 8);
  const eps = load<f32>(hp, 12);
  const wd = load<f32>(hp, 16);
  const b1t = load<f32>(hp, 20);
  const b2t = load<f32>(hp, 24);
  // Per-call scalars in f64, rounded once.
  const alpha = <f32>((<f64>lr * Math.sqrt(1 - <f64>b2t)) / (1 - <f64>b1t));
  const c1 = <f32>(1 - <f64>beta1);
  const c2 = <f32>(1 - <f64>beta2);
  const nwdlr = <f32>(-(<f64>wd * <f64>lr));
  if (wd != 0) adamLoop(p, g, m, v, n, alpha, c1, c2, eps, nwdlr, true);
  else adamLoop(p, g, m, v, n, alpha, c1, c2, eps, 0, false);
}

@inline function adamLoop(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  alpha: f32, c1: f32, c2: f32, eps: f32, nwdlr: f32, decay: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const valpha = f32x4.splat(alpha);
    const vc1 = f32x4.splat(c1);
    const vc2 = f32x4.splat(c2);
    const veps = f32x4.splat(eps);
    const vnwdlr = f32x4.splat(nwdlr);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      let pv = v128.load(p + o);
      if (decay) pv = madd4(pv, vnwdlr, pv);
      const gv = v128.load(g + o);
      let mv = v128.load(m + o);
      mv = madd4(f32x4.sub(gv, mv), vc1, mv);
      let vv = v128.load(v + o);
      vv = madd4(f32x4.sub(f32x4.mul(gv, gv), vv), vc2, vv);
      v128.store(m + o, mv);
      v128.store(v + o, vv);
      const upd = f32x4.div(f32x4.mul(mv, valpha), f32x4.add(f32x4.sqrt(vv), veps));
      v128.store(p + o, f32x4.sub(pv, upd));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    let pv = load<f32>(p + o);
    if (decay) pv = pv * nwdlr + pv;
    const gv = load<f32>(g + o);
    let mv = load<f32>(m + o);
    mv = (gv - mv) * c1 + mv;
    let vv = load<f32>(v + o);
    vv = (gv * gv - vv) * c2 + vv;
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    store<f32>(p + o, pv - (mv * alpha) / (Mathf.sqrt(vv) + eps));
  }
}

/**
 * RMSprop (uncentered). hp = [lr, rho, momentum, epsilon]:
 * `ms = ρ·ms + (1−ρ)g²; inc = lr·g/√(ms+ε)`; then `mom = momentum·mom + inc; p -= mom`
 * when momentum > 0, else `p -= inc` (and `mom` is not touched; it may be 0).
 *
 * ```ts
 * // hp = [1e-3, 0.9, 0, 1e-7]
 * k.rmsprop(p, g, ms, 0, n, hp);
 * ```
 */
export function rmsprop(p: usize, g: usize, ms: usize, mom: usize, n: i32, hp: usize): void {
  const lr = load<f32>(hp);
  const rho = load<f32>(hp, 4);
  const momentum = load<f32>(hp, 8);
  const eps = load<f32>(hp, 12);
  const c = <f32>(1 - <f64>rho);
  if (momentum > 0) rmspropLoop(p, g, ms, mom, n, lr, rho, c, momentum, eps, true);
  else rmspropLoop(p, g, ms, mom, n, lr, rho, c, 0, eps, false);
}

@inline function rmspropLoop(
  p: usize, g: usize, ms: usize, mom: usize, n: i32,
  lr: f32, rho: f32, c: f32, momentum: f32, eps: f32, useMomentum: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(lr);
    const vrho = f32x4.splat(rho);
    const vc = f32x4.splat(c);
    const vmomentum = f32x4.splat(momentum);
    const veps = f32x4.splat(eps);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      const gv = v128.load(g + o);
      const sv = madd4(v128.load(ms + o), vrho, f32x4.mul(f32x4.mul(gv, gv), vc));
      v128.store(ms + o, sv);
      let inc = f32x4.div(f32x4.mul(gv, vlr), f32x4.sqrt(f32x4.add(sv, veps)));
      if (useMomentum) {
        inc = madd4(v128.load(mom + o), vmomentum, inc);
        v128.store(mom + o, inc);
      }
      v128.store(p + o, f32x4.sub(v128.load(p + o), inc));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const gv = load<f32>(g + o);
    const sv = load<f32>(ms + o) * rho + gv * gv * c;
    store<f32>(ms + o, sv);
    let inc = (gv * lr) / Mathf.sqrt(sv + eps);
    if (useMomentum) {
      inc = load<f32>(mom + o) * momentum + inc;
      store<f32>(mom + o, inc);
    }
    store<f32>(p + o, load<f32>(p + o) - inc);
  }
}

/**
 * Adagrad. hp = [lr, epsilon]: `acc += g²; p -= lr·g/√(acc+ε)`.
 *
 * ```ts
 * // hp = [1e-3, 1e-7]; acc starts at Keras's initial_accumulator_value (0.1)
 * k.adagrad(p, g, acc, n, hp);
 * ```
 */
export function adagrad(p: usize, g: usize, acc: usize, n: i32, hp: usize): void {
  const lr = load<f32>(hp);
  const eps = load<f32>(hp, 4);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(lr);
    const veps = f32x4.splat(eps);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      const gv = v128.load(g + o);
      const av = madd4(gv, gv, v128.load(acc + o));
      v128.store(acc + o, av);
      const inc = f32x4.div(f32x4.mul(gv, vlr), f32x4.sqrt(f32x4.add(av, veps)));
      v128.store(p + o, f32x4.sub(v128.load(p + o), inc));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const gv = load<f32>(g + o);
    const av = gv * gv + load<f32>(acc + o);
    store<f32>(acc + o, av);
    store<f32>(p + o, load<f32>(p + o) - (gv * lr) / Mathf.sqrt(av + eps));
  }
}
