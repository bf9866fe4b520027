// Grayscale images in a terminal, side by side, each with a caption below: how the CLI
// shows predictions. One character cell holds two pixel rows: '▀' painted with the upper
// pixel as foreground and the lower as background, in the 256-colour palette's grays.
// Without colour (NO_COLOR, logs) a density ramp of ASCII characters stands in.

export interface RenderOptions {
  /** Pixels per image row (default 28). */
  width?: number;
  /** Pixel rows per image (default 28). */
  height?: number;
  /** ANSI colour blocks (default: on unless the NO_COLOR environment variable is set). */
  color?: boolean;
}

const RAMP = ' .:-=+*#%@';
const GAP = '  ';
const RESET = '\x1b[0m';

/**
 * Renders row-major grayscale images (values 0…255) next to each other, with the lines of
 * `captions[i]` under image i. Returns the text, lines joined by '\n', no trailing newline.
 * @example
 * const img = new Uint8Array(28 * 28).fill(255);
 * console.log(renderImages([img, img], [['pred: Sneaker ✓'], ['pred: Bag ✗', 'true: Coat']]));
 */
export function renderImages(images: readonly (Float32Array | Uint8Array)[], captions: readonly (readonly string[])[], opts: RenderOptions = {}): string {
  const w = opts.width ?? 28;
  const h = opts.height ?? 28;
  const color = opts.color ?? !noColorEnv();
  images.forEach((img, i) => {
    if (img.length !== w * h) throw new Error(`kerasm: renderImages: image ${i} has ${img.length} pixels, expected ${w}×${h} = ${w * h}`);
  });
  const columns = images.map((_, i) => Math.max(w, ...(captions[i] ?? []).map(textWidth)));
  const lines: string[] = [];
  for (let y = 0; y < h; y += 2) {
    lines.push(images.map((img, i) => (color ? blockRow(img, w, h, y) : rampRow(img, w, h, y)) + ' '.repeat(columns[i] - w)).join(GAP));
  }
  const captionRows = Math.max(0, ...images.map((_, i) => (captions[i] ?? []).length));
  for (let r = 0; r < captionRows; r++) {
    lines.push(images.map((_, i) => padEnd(captions[i]?.[r] ?? '', columns[i])).join(GAP).trimEnd());
  }
  return lines.join('\n');
}

/** One text row of an image in colour: rows y and y+1, escapes only where colours change. */
function blockRow(img: ArrayLike<number>, w: number, h: number, y: number): string {
  let s = '';
  let prev = '';
  for (let x = 0; x < w; x++) {
    const fg = gray(img[y * w + x]);
    // an odd last row has no lower pixel: leave the terminal's own background there
    const code = y + 1 < h ? `\x1b[38;5;${fg};48;5;${gray(img[(y + 1) * w + x])}m` : `\x1b[38;5;${fg};49m`;
    if (code !== prev) s += code;
    prev = code;
    s += '▀';
  }
  return s + RESET;
}

/** One text row without colour: the two pixel rows averaged onto the ramp. */
function rampRow(img: ArrayLike<number>, w: number, h: number, y: number): string {
  let s = '';
  for (let x = 0; x < w; x++) {
    const v = y + 1 < h ? (clamp(img[y * w + x]) + clamp(img[(y + 1) * w + x])) / 2 : clamp(img[y * w + x]);
    s += RAMP[Math.min(RAMP.length - 1, Math.floor((v / 256) * RAMP.length))];
  }
  return s;
}

// The palette's grays: 16 is black, 232…255 run from rgb 8 to 238 in steps of 10, 231 is white.
const LEVELS: [number, number][] = [[0, 16], ...Array.from({ length: 24 }, (_, i): [number, number] => [8 + 10 * i, 232 + i]), [255, 231]];

/** The palette index of the gray nearest to v. */
function gray(v: number): number {
  const c = clamp(v);
  let best = LEVELS[0];
  for (const level of LEVELS) if (Math.abs(level[0] - c) < Math.abs(best[0] - c)) best = level;
  return best[1];
}

function clamp(v: number): number {
  return v > 255 ? 255 : v > 0 ? v : 0; // NaN → 0
}

/** Columns a caption takes, counting code points ('✓' is one column). */
function textWidth(s: string): number {
  return [...s].length;
}

function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - textWidth(s)));
}

function noColorEnv(): boolean {
  // the CLI runs in Node or Deno (both have process); elsewhere colour stays on
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return !!env?.NO_COLOR; // no-color.org: set and non-empty disables colour
}
