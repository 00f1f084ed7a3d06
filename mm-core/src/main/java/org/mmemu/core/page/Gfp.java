package org.mmemu.core.page;

/**
 * GFP flags of include/linux/gfp.h (2.5.31): the zone modifiers in the low bits and the action
 * modifiers above them, with the usual combinations.
 */
public final class Gfp {
    public static final int __GFP_DMA = 0x01;
    public static final int __GFP_HIGHMEM = 0x02;
    /** Can wait and reschedule. */
    public static final int __GFP_WAIT = 0x10;
    /** Should access emergency pools. */
    public static final int __GFP_HIGH = 0x20;
    /** Can start physical IO. */
    public static final int __GFP_IO = 0x40;
    /** Can call down to low-level FS. */
    public static final int __GFP_FS = 0x100;
    public static final int __GFP_COLD = 0x200;

    public static final int GFP_ATOMIC = __GFP_HIGH;
    public static final int GFP_NOIO = __GFP_WAIT;
    public static final int GFP_NOFS = __GFP_WAIT | __GFP_IO;
    public static final int GFP_KERNEL = __GFP_WAIT | __GFP_IO | __GFP_FS;
    public static final int GFP_USER = __GFP_WAIT | __GFP_IO | __GFP_FS;
    public static final int GFP_HIGHUSER = __GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HIGHMEM;
    public static final int GFP_KSWAPD = GFP_KERNEL;

    private Gfp() {
    }

    /** The highest zone an allocation with {@code gfpMask} may use ({@code gfp_zone}). */
    public static ZoneType highestZone(int gfpMask) {
        if ((gfpMask & __GFP_DMA) != 0) {
            return ZoneType.DMA;
        }
        if ((gfpMask & __GFP_HIGHMEM) != 0) {
            return ZoneType.HIGHMEM;
        }
        return ZoneType.NORMAL;
    }

    /** A readable form, e.g. {@code GFP_KERNEL} or {@code __GFP_WAIT|__GFP_HIGH}. */
    public static String describe(int gfpMask) {
        if (gfpMask == GFP_KERNEL) {
            return "GFP_KERNEL";
        }
        if (gfpMask == GFP_ATOMIC) {
            return "GFP_ATOMIC";
        }
        if (gfpMask == GFP_HIGHUSER) {
            return "GFP_HIGHUSER";
        }
        StringBuilder b = new StringBuilder();
        String[] names = {"__GFP_DMA", "__GFP_HIGHMEM", "", "", "__GFP_WAIT", "__GFP_HIGH", "__GFP_IO", "", "__GFP_FS", "__GFP_COLD"};
        for (int i = 0; i < names.length; i++) {
            if ((gfpMask & (1 << i)) != 0 && !names[i].isEmpty()) {
                b.append(b.length() > 0 ? "|" : "").append(names[i]);
            }
        }
        return b.length() == 0 ? "0" : b.toString();
    }
}
