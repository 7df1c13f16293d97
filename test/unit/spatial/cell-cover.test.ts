import { describe, expect, it } from 'vitest';
import { cellCover } from '../../../src/spatial/cell-cover.js';
import { ZoneGeometry } from '../../../src/spatial/zone-geometry.js';

/** The U of the polygon tests: notch 3 < x < 6, 3 < y <= 9. */
const u = new ZoneGeometry({
  id: 'u',
  polygon: [[0, 0], [9, 0], [9, 9], [6, 9], [6, 3], [3, 3], [3, 9], [0, 9]],
  height: undefined,
});

describe('cellCover', () => {
  it.each([
    ['inside an arm', 0.5, 4, 2.5, 8, 'full'],
    ['inside the notch (box meets, outline does not)', 3.5, 4, 5.5, 8, 'none'],
    ['beside the zone', 10, 0, 12, 2, 'none'],
    ['across the notch edge', 2, 4, 4, 6, 'partial'],
    ['touching the notch edge from inside the arm', 1, 4, 3, 6, 'partial'],
    ['touching the notch edge from inside the notch', 3, 4, 5, 6, 'partial'],
    ['larger than the zone', -1, -1, 10, 10, 'partial'],
    ['a corner on the outer corner', -2, -2, 0, 0, 'partial'],
  ] as const)('%s', (_name, x0, y0, x1, y1, expected) => {
    expect(cellCover(u, x0, y0, x1, y1, 0)).toBe(expected);
  });

  it('grows the cell: a boundary within `grow` makes it partial', () => {
    expect(cellCover(u, 0.5, 4, 2.9, 8, 0)).toBe('full');
    expect(cellCover(u, 0.5, 4, 2.9, 8, 0.2)).toBe('partial');
  });
});
