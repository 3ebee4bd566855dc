import type { BankOptions } from './reference-bank.ts';

/**
 * A few concepts at two grid sizes, built in memory in seconds: enough for tests to tell a cat from
 * a dog and a circle from a square, not for validation (which needs DEFAULT_BANK).
 */
export const TEST_BANK: BankOptions = {
  vocabulary: 'core',
  concepts: ['cat-face', 'dog-face', 'giraffe', 'red-apple', 'evergreen-tree', 'soccer-ball', 'full-moon', 'top-hat'],
  grids: [2, 4],
  darkGrids: [2],
  accessoryGrids: [],
  twoToneGrids: [],
  blurred: false,
  cacheDir: null,
};
