/**
 * The shrinker interface of mm/vmscan.c (akpm, against 2.5.41, 9 Oct 2002; SHR in the reference):
 * caches with reclaimable objects register a callback and get scanned in proportion to the page
 * scanning reclaim does, weighted by how costly their objects are to recreate.
 */
package org.mmemu.slab.shrink;
