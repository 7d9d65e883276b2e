/**
 * Draws one playing-card-like image into an RGB buffer. Four attributes are the labels: colour
 * (red / black pips), points (1 to 4 pips), pattern (stripes on the face or none) and texture (a
 * coarse grain on the face or smooth). The nuisances are what a model must learn to ignore: the
 * card's position and rotation, the table colour, the overall brightness and sensor noise.
 * Geometry is sampled 2×2 per pixel so that small pips stay round at 48 × 48.
 */
import type { Random } from '../../src/util/random.js';

export type Colour = 'red' | 'black';
export type Pattern = 'none' | 'some';
export type Texture = 'smooth' | 'rough';

export interface CardLabels {
  colour: Colour;
  points: 1 | 2 | 3 | 4;
  pattern: Pattern;
  texture: Texture;
}

type RGB = [number, number, number];

const PIP: Record<Colour, RGB> = { red: [205, 30, 35], black: [25, 25, 30] };
const FACE: RGB = [238, 234, 222];
const BORDER: RGB = [70, 70, 80];
const STRIPE: RGB = [150, 172, 215];
/** Pip centres in card units (x, y in [-1, 1] across the face). */
const LAYOUT: Record<CardLabels['points'], Array<[number, number]>> = {
  1: [[0, 0]],
  2: [[0, -0.5], [0, 0.5]],
  3: [[0, -0.6], [0, 0], [0, 0.6]],
  4: [[-0.45, -0.5], [0.45, -0.5], [-0.45, 0.5], [0.45, 0.5]],
};
/** Grain cells across the face: 8 makes cells of 3-4 pixels at 48 × 48, a grain a camera would resolve (16 put it at the pixel, below the sensor noise's scale). */
const GRAIN_CELLS = 8;

/** One card's nuisance values, drawn from the generator in a fixed order. */
interface Pose {
  cx: number;
  cy: number;
  cos: number;
  sin: number;
  table: RGB;
  brightness: number;
  noise: number;
  grain: Float64Array;
}

function drawPose(size: number, rng: Random, maxNoise: number): Pose {
  const angle = rng.uniform(-10, 10) * (Math.PI / 180);
  const table: RGB = [rng.uniform(20, 70), rng.uniform(60, 120), rng.uniform(40, 90)];
  return {
    cx: size / 2 + rng.uniform(-0.05, 0.05) * size,
    cy: size / 2 + rng.uniform(-0.05, 0.05) * size,
    cos: Math.cos(angle),
    sin: Math.sin(angle),
    table,
    brightness: rng.uniform(0.75, 1.15),
    noise: rng.uniform(0, maxNoise),
    grain: Float64Array.from({ length: GRAIN_CELLS * GRAIN_CELLS }, () => rng.uniform(-1, 1)),
  };
}

/** The colour of the scene at (x, y) in pixels, before brightness and noise. */
function sample(x: number, y: number, size: number, card: CardLabels, p: Pose, out: RGB): void {
  const dx = x - p.cx;
  const dy = y - p.cy;
  const u = p.cos * dx + p.sin * dy;
  const v = -p.sin * dx + p.cos * dy;
  const hw = 0.28 * size;
  const hh = 0.38 * size;
  const corner = 0.06 * size;
  const ex = Math.abs(u) - (hw - corner);
  const ey = Math.abs(v) - (hh - corner);
  const outside = ex > 0 && ey > 0 ? Math.hypot(ex, ey) - corner : Math.max(ex, ey) - corner;
  if (outside > 0) return set(out, p.table);
  if (outside > -0.025 * size) return set(out, BORDER);
  const pipR = 0.075 * size;
  for (const [px, py] of LAYOUT[card.points]) {
    if (Math.hypot(u - px * 0.7 * hw, v - py * 0.8 * hh) < pipR) return set(out, PIP[card.colour]);
  }
  const period = 0.12 * size;
  const striped = card.pattern === 'some' && ((((u + v) / period) % 1) + 1) % 1 < 0.4;
  set(out, striped ? STRIPE : FACE);
  if (card.texture === 'rough') {
    const gx = Math.min(GRAIN_CELLS - 1, Math.floor(((u + hw) / (2 * hw)) * GRAIN_CELLS));
    const gy = Math.min(GRAIN_CELLS - 1, Math.floor(((v + hh) / (2 * hh)) * GRAIN_CELLS));
    // Darkening only, so that a bright card saturating at white keeps its grain.
    const shade = 60 * Math.abs(p.grain[gy * GRAIN_CELLS + gx]!);
    for (let c = 0; c < 3; c++) out[c] = out[c]! - shade;
  }
}

function set(out: RGB, c: RGB): void {
  out[0] = c[0];
  out[1] = c[1];
  out[2] = c[2];
}

/** Sensor noise of a card: a standard deviation drawn up to this many levels (of 255). */
export const DEFAULT_NOISE = 8;

/** A `size` × `size` RGB image, row-major, 3 bytes a pixel. */
export function drawCard(card: CardLabels, size: number, rng: Random, maxNoise = DEFAULT_NOISE): Uint8Array {
  const p = drawPose(size, rng, maxNoise);
  const rgb = new Uint8Array(size * size * 3);
  const s: RGB = [0, 0, 0];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = new Float64Array(3);
      for (const oy of [0.25, 0.75]) {
        for (const ox of [0.25, 0.75]) {
          sample(x + ox, y + oy, size, card, p, s);
          for (let c = 0; c < 3; c++) acc[c]! += s[c]! / 4;
        }
      }
      for (let c = 0; c < 3; c++) {
        const value = acc[c]! * p.brightness + rng.normal(0, p.noise);
        rgb[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return rgb;
}

/** Labels drawn uniformly and independently. */
export function drawLabels(rng: Random): CardLabels {
  return {
    colour: rng.next() < 0.5 ? 'red' : 'black',
    points: (1 + rng.int(4)) as CardLabels['points'],
    pattern: rng.next() < 0.5 ? 'none' : 'some',
    texture: rng.next() < 0.5 ? 'smooth' : 'rough',
  };
}
