/** Named colors the world draws and captions. RGB chosen to stay distinct after VQ round trips. */
export const COLORS = {
  red: [220, 38, 38],
  orange: [249, 115, 22],
  yellow: [250, 204, 21],
  green: [22, 163, 74],
  blue: [37, 99, 235],
  purple: [147, 51, 234],
  pink: [236, 72, 153],
  brown: [133, 77, 14],
  black: [23, 23, 23],
  white: [250, 250, 250],
  gray: [128, 128, 128],
  cyan: [6, 182, 212],
} as const satisfies Record<string, readonly [number, number, number]>;

export type ColorName = keyof typeof COLORS;
export const COLOR_NAMES = Object.keys(COLORS) as ColorName[];

/** Background colors: light tints, so that objects of every color stay visible on them. */
export const BACKGROUNDS = {
  white: [255, 255, 255],
  cream: [253, 246, 227],
  'light gray': [229, 231, 235],
  'light blue': [219, 234, 254],
  'light green': [220, 252, 231],
  'light pink': [252, 231, 243],
  'light yellow': [254, 249, 195],
  black: [23, 23, 23],
} as const satisfies Record<string, readonly [number, number, number]>;

export type BackgroundName = keyof typeof BACKGROUNDS;
export const BACKGROUND_NAMES = Object.keys(BACKGROUNDS) as BackgroundName[];

export function rgb(color: readonly [number, number, number]): string {
  return `rgb(${color[0]},${color[1]},${color[2]})`;
}
