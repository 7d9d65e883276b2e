/** Turning flag strings into option values; validation itself happens in the options schemas. */
import { OptionError } from '../errors.js';

export const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);

export function number(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new OptionError('bad-option', `--${flag} expects a number, got '${v}'`, { option: flag, value: v });
    return n;
  };
}

export function numbers(flag: string) {
  return (v: string): number[] => list(v).map(number(flag));
}

export function numberOrAuto(flag: string) {
  const parse = number(flag);
  return (v: string): number | 'auto' => (v.trim() === 'auto' ? 'auto' : parse(v));
}
