// Argument checks shared by optimizers and learning-rate schedules. Configs arrive as
// plain JSON (saved models), so every value is checked at run time, and the error quotes it.

/** `value` as a finite number within [min, max] (and > min when `above`), or an error naming `what`. */
export function checkNumber(
  value: unknown,
  what: string,
  { min = -Infinity, max = Infinity, above = false }: { min?: number; max?: number; above?: boolean } = {},
): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (above ? value > min : value >= min) && value <= max;
  if (!ok) {
    const range = [min !== -Infinity ? `${above ? '>' : '≥'} ${min}` : '', max !== Infinity ? `≤ ${max}` : ''].filter(Boolean).join(' and ');
    throw new Error(`kerasm: ${what} must be a finite number${range ? ` ${range}` : ''}, got ${fmt(value)}`);
  }
  return value;
}

/** `value` as a boolean, or an error naming `what`. */
export function checkBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`kerasm: ${what} must be true or false, got ${fmt(value)}`);
  return value;
}

/** Throws when `config` has keys that `known` lacks (a misspelt option would be ignored otherwise). */
export function checkKeys(config: Record<string, unknown>, known: string[], where: string): void {
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`kerasm: ${where} config has unknown keys [${unknown.join(', ')}]; known keys: ${known.join(', ')}`);
}

/** A value as an error message quotes it. */
export function fmt(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
