// Python's number formatting, as Keras's callbacks print numbers: `str(float)` in CSV rows
// and `str.format` in checkpoint paths ("{epoch:02d}-{val_loss:.2f}.kerasm"). Rounding is
// exact (half to even on the double's exact binary value, as CPython), so a path or a log
// line matches what Keras would write for the same numbers.

/**
 * Python's `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16.
 * @example pyRepr(1e-5) // '1e-05'; pyRepr(2) // '2.0'; pyRepr(NaN) // 'nan'
 */
export function pyRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, e] = Math.abs(x).toExponential().split('e'); // shortest digits, as repr
  const digits = mant.replace('.', '');
  const exp = Number(e);
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) return sign + sci(digits, exp);
  const s = placeDigits(digits, exp);
  return sign + (s.includes('.') ? s : `${s}.0`);
}

/** d.ddd·10^exp in fixed notation (no trailing point). */
function placeDigits(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return frac ? `${int}.${frac}` : int;
}

/** d.ddd·10^exp in Python's scientific notation (exponent of at least two digits). */
function sci(digits: string, exp: number, upper = false): string {
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${m}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** |x| as an exact fraction num/den (x finite). */
function exact(x: number): [bigint, bigint] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  let pow = -1074;
  if (biased !== 0) {
    m |= 1n << 52n;
    pow = biased - 1075;
  }
  return pow >= 0 ? [m << BigInt(pow), 1n] : [m, 1n << BigInt(-pow)];
}

/** round(|x| · 10^p), half to even. */
function scaled(x: number, p: number): bigint {
  const [n, d] = exact(x);
  const [num, den] = p >= 0 ? [n * 10n ** BigInt(p), d] : [n, d * 10n ** BigInt(-p)];
  const q = num / den;
  const r2 = (num % den) * 2n;
  return r2 > den || (r2 === den && q & 1n) ? q + 1n : q;
}

/** |x| with `prec` digits after the point. */
function toFixed(x: number, prec: number): string {
  const s = scaled(x, prec).toString().padStart(prec + 1, '0');
  return prec ? `${s.slice(0, -prec)}.${s.slice(-prec)}` : s;
}

/** |x| rounded to `n` significant digits: the digits and the decimal exponent. */
function significant(x: number, n: number): [string, number] {
  if (x === 0) return ['0'.repeat(n), 0];
  let exp = Math.floor(Math.log10(Math.abs(x)));
  for (;;) {
    const s = scaled(x, n - 1 - exp).toString();
    if (s.length === n) return [s, exp];
    exp += s.length > n ? 1 : -1; // log10 was off by one, or rounding carried to 10^n
  }
}

const stripZeros = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

/** Python's 'g' (and the no-type float format with a precision, `repr` = true). */
function general(x: number, prec: number, upper: boolean, repr: boolean): string {
  const p = prec === 0 ? 1 : prec;
  const [digits, exp] = significant(x, p);
  const fixed = repr ? exp >= -4 && exp < p - 1 : exp >= -4 && exp < p;
  if (!fixed) {
    const m = stripZeros(`${digits[0]}.${digits.slice(1)}`);
    return sci(m.replace('.', ''), exp, upper);
  }
  const s = stripZeros(toFixed(x, Math.max(0, p - 1 - exp)));
  return repr && !s.includes('.') ? `${s}.0` : s;
}

const SPEC = /^(?:([^{}])?([<>=^]))?([-+ ])?(0)?(\d+)?(?:\.(\d+))?([dfFeEgG%])?$/;

/**
 * One value formatted by a Python format spec (`02d`, `.2f`, `>8.3e`, `+.4g`, `.1%`):
 * fill and alignment, sign, zero padding, width, precision and the types d f F e E g G %.
 * `isInt` says whether the value is a Python int (epoch, batch) or a float (logs).
 * @example pyFormatValue(0.123456, '.2f', false) // '0.12'
 */
export function pyFormatValue(x: number, spec: string, isInt: boolean): string {
  const m = SPEC.exec(spec);
  if (!m) throw new Error(`kerasm: unsupported format spec '${spec}' (supported: [[fill]align][sign][0][width][.precision][dfeg%])`);
  const [, fillChar, alignChar, signChar = '-', zero, widthS, precS, type] = m;
  const prec = precS === undefined ? undefined : Number(precS);
  let body: string;
  if (type === '%') x *= 100; // before the finiteness test: Python's % overflows to inf%
  if (isInt && (type === undefined || type === 'd')) {
    if (prec !== undefined) throw new Error(`kerasm: format spec '${spec}': precision is not allowed for an integer`);
    body = String(Math.abs(x));
  } else if (type === 'd') {
    throw new Error(`kerasm: format spec '${spec}': 'd' needs an integer, got the float ${pyRepr(x)}`);
  } else if (!Number.isFinite(x)) {
    body = Number.isNaN(x) ? 'nan' : 'inf';
    if (type && 'FEG'.includes(type)) body = body.toUpperCase();
    if (type === '%') body += '%';
  } else if (type === 'f' || type === 'F') body = toFixed(x, prec ?? 6);
  else if (type === '%') body = `${toFixed(x, prec ?? 6)}%`;
  else if (type === 'e' || type === 'E') {
    const [digits, exp] = significant(x, (prec ?? 6) + 1);
    body = sci(digits, exp, type === 'E');
  } else if (type === 'g' || type === 'G') body = general(x, prec ?? 6, type === 'G', false);
  else body = prec === undefined ? pyRepr(Math.abs(x)) : general(x, prec, false, true);
  const negative = x < 0 || Object.is(x, -0);
  const sign = negative ? '-' : signChar === '+' ? '+' : signChar === ' ' ? ' ' : '';
  const width = widthS === undefined ? 0 : Number(widthS);
  const fill = fillChar ?? (zero ? '0' : ' ');
  const align = alignChar ?? (zero ? '=' : '>');
  const pad = Math.max(0, width - sign.length - body.length);
  if (align === '=') return sign + fill.repeat(pad) + body;
  const text = sign + body;
  if (align === '<') return text + fill.repeat(pad);
  if (align === '^') return fill.repeat(Math.floor(pad / 2)) + text + fill.repeat(pad - Math.floor(pad / 2));
  return fill.repeat(pad) + text;
}

/**
 * Python's `template.format(**ints, **floats)` for named numeric fields, with `{{` and `}}`
 * escapes: what Keras's ModelCheckpoint does with its file path.
 * @example pyFormat('w-{epoch:02d}-{val_loss:.2f}.kerasm', { epoch: 3 }, { val_loss: 0.4567 }) // 'w-03-0.46.kerasm'
 */
export function pyFormat(template: string, ints: Record<string, number>, floats: Record<string, number>): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (token, field: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    if (field === undefined) throw new Error(`kerasm: single '${token}' in "${template}" (write '${token}${token}' for a literal brace)`);
    const colon = field.indexOf(':');
    const name = colon < 0 ? field : field.slice(0, colon);
    const spec = colon < 0 ? '' : field.slice(colon + 1);
    if (!/^\w+$/.test(name)) throw new Error(`kerasm: unsupported field '{${field}}' in "${template}" (use {name} or {name:spec})`);
    const isInt = name in ints;
    const value = isInt ? ints[name] : floats[name];
    if (value === undefined) {
      const known = [...Object.keys(ints), ...Object.keys(floats)].join(', ');
      throw new Error(`kerasm: "${template}" uses {${name}}, which is not available (available: ${known})`);
    }
    return pyFormatValue(value, spec, isInt);
  });
}
