/**
 * Geometric shapes, each a path traced in a unit box [0,1]² (y down). Filled with the even-odd rule,
 * so that a ring or a crescent is a single path with a hole.
 */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number, ccw?: boolean): void;
  ellipse(x: number, y: number, rx: number, ry: number, rotation: number, start: number, end: number, ccw?: boolean): void;
  closePath(): void;
}

type Tracer = (p: PathSink) => void;

function polygon(points: [number, number][]): Tracer {
  return (p) => {
    points.forEach(([x, y], i) => (i === 0 ? p.moveTo(x, y) : p.lineTo(x, y)));
    p.closePath();
  };
}

function regular(sides: number, radius = 0.48, rotation = -Math.PI / 2): [number, number][] {
  return Array.from({ length: sides }, (_, i) => {
    const a = rotation + (i * 2 * Math.PI) / sides;
    return [0.5 + radius * Math.cos(a), 0.5 + radius * Math.sin(a)] as [number, number];
  });
}

function star(points: number, outer = 0.5, inner = 0.2): [number, number][] {
  return Array.from({ length: points * 2 }, (_, i) => {
    const r = i % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (i * Math.PI) / points;
    return [0.5 + r * Math.cos(a), 0.53 + r * Math.sin(a)] as [number, number];
  });
}

export const SHAPES = {
  circle: (p) => p.arc(0.5, 0.5, 0.46, 0, Math.PI * 2),
  square: polygon([[0.08, 0.08], [0.92, 0.08], [0.92, 0.92], [0.08, 0.92]]),
  triangle: polygon([[0.5, 0.06], [0.95, 0.9], [0.05, 0.9]]),
  star: polygon(star(5)),
  heart: (p) => {
    p.moveTo(0.5, 0.92);
    p.bezierCurveTo(0.1, 0.62, 0.0, 0.38, 0.12, 0.2);
    p.bezierCurveTo(0.25, 0.02, 0.45, 0.08, 0.5, 0.26);
    p.bezierCurveTo(0.55, 0.08, 0.75, 0.02, 0.88, 0.2);
    p.bezierCurveTo(1.0, 0.38, 0.9, 0.62, 0.5, 0.92);
    p.closePath();
  },
  diamond: polygon([[0.5, 0.03], [0.85, 0.5], [0.5, 0.97], [0.15, 0.5]]),
  hexagon: polygon(regular(6, 0.48, 0)),
  pentagon: polygon(regular(5, 0.5)),
  crescent: (p) => {
    p.arc(0.5, 0.5, 0.44, 0, Math.PI * 2);
    p.closePath();
    p.moveTo(0.92, 0.4);
    p.arc(0.66, 0.4, 0.36, 0, Math.PI * 2);
    p.closePath();
  },
  cross: polygon([[0.36, 0.06], [0.64, 0.06], [0.64, 0.36], [0.94, 0.36], [0.94, 0.64], [0.64, 0.64], [0.64, 0.94], [0.36, 0.94], [0.36, 0.64], [0.06, 0.64], [0.06, 0.36], [0.36, 0.36]]),
  ring: (p) => {
    p.arc(0.5, 0.5, 0.46, 0, Math.PI * 2);
    p.closePath();
    p.moveTo(0.8, 0.5);
    p.arc(0.5, 0.5, 0.3, 0, Math.PI * 2);
    p.closePath();
  },
  arrow: polygon([[0.05, 0.38], [0.55, 0.38], [0.55, 0.15], [0.95, 0.5], [0.55, 0.85], [0.55, 0.62], [0.05, 0.62]]),
  hourglass: polygon([[0.15, 0.05], [0.85, 0.05], [0.85, 0.12], [0.56, 0.5], [0.85, 0.88], [0.85, 0.95], [0.15, 0.95], [0.15, 0.88], [0.44, 0.5], [0.15, 0.12]]),
  infinity: (p) => {
    // Two lobes traced as one lemniscate-like loop; thickened by an inner loop (even-odd hole).
    const lobe = (cx: number, r: number) => {
      p.moveTo(cx + r, 0.5);
      p.ellipse(cx, 0.5, r, r * 0.82, 0, 0, Math.PI * 2);
      p.closePath();
    };
    lobe(0.285, 0.215);
    lobe(0.285, 0.1);
    lobe(0.715, 0.215);
    lobe(0.715, 0.1);
  },
  'lightning bolt': polygon([[0.58, 0.02], [0.18, 0.55], [0.45, 0.55], [0.36, 0.98], [0.82, 0.4], [0.54, 0.4], [0.66, 0.02]]),
  bowtie: polygon([[0.04, 0.18], [0.42, 0.4], [0.58, 0.4], [0.96, 0.18], [0.96, 0.82], [0.58, 0.6], [0.42, 0.6], [0.04, 0.82]]),
} as const satisfies Record<string, Tracer>;

export type ShapeName = keyof typeof SHAPES;
export const SHAPE_NAMES = Object.keys(SHAPES) as ShapeName[];
