package org.mmemu.scenario;

import org.mmemu.core.emu.FindingKind;

/**
 * A scenario's {@code catalogue:} section: a real race of the kernel's history, the commit that
 * fixed it, and the two kernels it is run on ({@code mmemu catalogue}, docs/CATALOGUE.md). The
 * scenario's machine, pages and programs are shared by both runs; each kernel runs its own
 * protocol.
 *
 * @param entry       the entry's short name, e.g. {@code 01-seed-race}
 * @param title       one line: what races with what
 * @param commit      the fix's full commit id (40 hex digits) in the kernel's history
 * @param date        the fix's date, as written
 * @param author      the fix's author
 * @param words       the commit message's words on the race (a short quote)
 * @param expect      the finding kind the entry is about
 * @param buggy       the kernel (name or composition of {@code mmemu kernels}) that has the race
 * @param fixed       the kernel that has the fix
 * @param fixedSearch the search the fixed kernel is judged by: its {@code policy}, {@code delays}
 *                    and {@code preemptionBound} are set (the other fields null); one that could
 *                    have found the race ({@link CatalogueReader})
 */
public record CatalogueEntry(String entry, String title, String commit, String date, String author, String words,
                             FindingKind expect, String buggy, String fixed, EngineSettings fixedSearch) {
}
