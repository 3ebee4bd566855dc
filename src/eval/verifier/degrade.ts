import { estimateBackground, withThresholds, type Background, type Rgba } from './image.ts';

/**
 * A stand-in for a lossy image codec such as the VQ autoencoder, to show the verifier holds up:
 * half resolution and back (blur), then JPEG-style coding (YCbCr, 2×2 chroma subsampling, 8×8 DCT
 * with the standard quantization tables at `quality`).
 */
export function syntheticDegradation(image: Rgba, quality = 50): Rgba {
  return jpegLike(halveAndRestore(image), quality);
}

/**
 * A reference render as a bank reads it: as drawn, or (`blurred`) through halveAndRestore and read
 * with a degraded image's thresholds, to stand for what a codec returns.
 */
export function referenceImage(image: Rgba, blurred: boolean): { image: Rgba; bg: Background } {
  return blurred ? degradedReference(halveAndRestore(image)) : { image, bg: estimateBackground(image) };
}

/** A reference render after a codec (halveAndRestore, or a real one's round trip), read with a degraded image's thresholds. */
export function degradedReference(image: Rgba): { image: Rgba; bg: Background } {
  return { image, bg: withThresholds(estimateBackground(image).color, 0, 1) };
}

/** 2×2 box average to half size, then bilinear back to full size. */
export function halveAndRestore(image: Rgba): Rgba {
  const { width: w, height: h, data } = image;
  const hw = w >> 1;
  const hh = h >> 1;
  const half = new Float32Array(hw * hh * 3);
  for (let y = 0; y < hh; y++) {
    for (let x = 0; x < hw; x++) {
      for (let c = 0; c < 3; c++) {
        const at = (dx: number, dy: number) => data[((2 * y + dy) * w + 2 * x + dx) * 4 + c];
        half[(y * hw + x) * 3 + c] = (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4;
      }
    }
  }
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const fy = Math.min(hh - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(hh - 1, y0 + 1);
    for (let x = 0; x < w; x++) {
      const fx = Math.min(hw - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(hw - 1, x0 + 1);
      for (let c = 0; c < 3; c++) {
        const top = half[(y0 * hw + x0) * 3 + c] * (1 - (fx - x0)) + half[(y0 * hw + x1) * 3 + c] * (fx - x0);
        const bottom = half[(y1 * hw + x0) * 3 + c] * (1 - (fx - x0)) + half[(y1 * hw + x1) * 3 + c] * (fx - x0);
        out[(y * w + x) * 4 + c] = top * (1 - (fy - y0)) + bottom * (fy - y0);
      }
      out[(y * w + x) * 4 + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

const LUMA_TABLE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
  92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_TABLE = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, ...new Array<number>(32).fill(99),
];

/** JPEG's lossy steps without the entropy coding. Width and height must be multiples of 16. */
export function jpegLike(image: Rgba, quality = 50): Rgba {
  const { width: w, height: h, data } = image;
  const scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
  const table = (base: number[]) => base.map((q) => Math.max(1, Math.floor((q * scale + 50) / 100)));
  const planes = [new Float32Array(w * h), new Float32Array(w * h), new Float32Array(w * h)];
  for (let i = 0; i < w * h; i++) {
    const [r, g, b] = [data[i * 4], data[i * 4 + 1], data[i * 4 + 2]];
    planes[0][i] = 0.299 * r + 0.587 * g + 0.114 * b;
    planes[1][i] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
    planes[2][i] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
  }
  codePlane(planes[0], w, h, table(LUMA_TABLE));
  for (const chroma of [planes[1], planes[2]]) {
    const small = subsample(chroma, w, h);
    codePlane(small, w / 2, h / 2, table(CHROMA_TABLE));
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) chroma[y * w + x] = small[(y >> 1) * (w / 2) + (x >> 1)];
  }
  const out = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const [yy, cb, cr] = [planes[0][i], planes[1][i] - 128, planes[2][i] - 128];
    out[i * 4] = yy + 1.402 * cr;
    out[i * 4 + 1] = yy - 0.344136 * cb - 0.714136 * cr;
    out[i * 4 + 2] = yy + 1.772 * cb;
    out[i * 4 + 3] = 255;
  }
  return { width: w, height: h, data: out };
}

function subsample(plane: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array((w / 2) * (h / 2));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(y >> 1) * (w / 2) + (x >> 1)] += plane[y * w + x] / 4;
  return out;
}

const COS = Array.from({ length: 64 }, (_, i) => {
  const [x, u] = [i >> 3, i & 7];
  return Math.cos(((2 * x + 1) * u * Math.PI) / 16) * (u === 0 ? Math.SQRT1_2 : 1) * 0.5;
});

/** 8×8 DCT, quantize, dequantize, inverse DCT, in place. */
function codePlane(plane: Float32Array, w: number, h: number, table: number[]): void {
  const block = new Float32Array(64);
  const coef = new Float32Array(64);
  for (let by = 0; by < h; by += 8) {
    for (let bx = 0; bx < w; bx += 8) {
      for (let i = 0; i < 64; i++) block[i] = plane[(by + (i >> 3)) * w + bx + (i & 7)] - 128;
      for (let v = 0; v < 8; v++) {
        for (let u = 0; u < 8; u++) {
          let s = 0;
          for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) s += block[y * 8 + x] * COS[x * 8 + u] * COS[y * 8 + v];
          coef[v * 8 + u] = Math.round(s / table[v * 8 + u]) * table[v * 8 + u];
        }
      }
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          let s = 0;
          for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) s += coef[v * 8 + u] * COS[x * 8 + u] * COS[y * 8 + v];
          plane[(by + y) * w + bx + x] = s + 128;
        }
      }
    }
  }
}
