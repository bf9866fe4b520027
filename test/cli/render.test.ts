import { afterEach, describe, expect, test, vi } from 'vitest';
import { renderImages } from '../../cli/render';

/** A 28×28 horizontal gradient: column x has value x × 255 / 27. */
const gradient = Float32Array.from({ length: 28 * 28 }, (_, i) => ((i % 28) * 255) / 27);
const black = new Uint8Array(28 * 28);
const captions = [['pred: Sneaker ✓'], ['pred: Bag ✗', 'true: Sandal']];
const ESC = '\x1b';

afterEach(() => vi.unstubAllEnvs());

describe('renderImages in colour', () => {
  const text = renderImages([gradient, black], captions, { color: true });
  const lines = text.split('\n');

  test('14 block rows (two pixel rows each) then the caption rows', () => {
    expect(lines).toHaveLength(14 + 2);
    for (const line of lines.slice(0, 14)) {
      expect(line.replace(/\x1b\[[0-9;]*m/g, '')).toBe('▀'.repeat(28) + '  ' + '▀'.repeat(28));
    }
  });

  test('captions sit under their image', () => {
    expect(lines[14]).toBe('pred: Sneaker ✓'.padEnd(28) + '  ' + 'pred: Bag ✗');
    expect(lines[15]).toBe(' '.repeat(30) + 'true: Sandal');
  });

  test('pixels map to the 256-colour grays, black to 16 and white to 231', () => {
    expect(lines[0].startsWith(`${ESC}[38;5;16;48;5;16m▀`)).toBe(true);
    expect(lines[0]).toContain(`${ESC}[38;5;231;48;5;231m▀`);
    expect(lines[0]).toContain(';48;5;244m'); // mid-gray: rgb 128 is level 232 + 12
    expect(lines[0]).toContain(`${ESC}[0m`);
  });

  test('an odd number of rows leaves the last background alone', () => {
    const out = renderImages([new Uint8Array(9).fill(255)], [], { width: 3, height: 3, color: true }).split('\n');
    expect(out).toHaveLength(2);
    expect(out[1]).toContain('38;5;231;49m');
  });
});

describe('renderImages without colour', () => {
  test('a density ramp with no escape codes and the same layout', () => {
    const text = renderImages([gradient, black], captions, { color: false });
    expect(text).not.toContain(ESC);
    const lines = text.split('\n');
    expect(lines).toHaveLength(16);
    expect(lines[0]).toHaveLength(58);
    expect(lines[0].startsWith(' ')).toBe(true);
    expect(lines[0][27]).toBe('@');
    expect(lines[0].slice(30).trim()).toBe('');
    expect(text).toContain('pred: Sneaker ✓');
    expect(text).toContain('true: Sandal');
  });

  test('NO_COLOR turns colour off by default', () => {
    vi.stubEnv('NO_COLOR', '1');
    expect(renderImages([black], [['x']])).not.toContain(ESC);
    vi.stubEnv('NO_COLOR', '');
    expect(renderImages([black], [['x']])).toContain(ESC);
  });

  test('a caption wider than the image widens its column', () => {
    const long = 'true: Ankle boot, a long caption';
    const lines = renderImages([black, black], [[long], ['b']], { color: false }).split('\n');
    expect(lines[0]).toHaveLength(long.length + 2 + 28);
    expect(lines[14]).toBe(`${long}  b`);
  });
});

test('rejects an image of the wrong size, naming it', () => {
  expect(() => renderImages([black, new Uint8Array(10)], [])).toThrow('image 1 has 10 pixels, expected 28×28 = 784');
});
