// Ignition's path depth (util.Depth): components of the cleaned path.
import { describe, expect, it } from 'vitest';
import { pathDepth } from '../../src/host/paths.js';

describe('pathDepth', () => {
  it('counts the components of the cleaned path', () => {
    expect(['/', '', '.', '/etc', '/etc/', '/etc/a/b', '/a/../b', '/a/./b', '//a//b', 'a/b'].map(pathDepth)).toEqual([0, 0, 0, 1, 1, 3, 1, 2, 2, 2]);
  });
});
