package dev.mproc.tests;

import dev.mproc.core.RegionKind;

/**
 * The region kind and layout version of the scratch regions these tests share between JVMs.
 * Their bodies have no structure of their own: each test documents the offsets it uses.
 */
public final class TestRegions {
    /** Kind tag of every test region. */
    public static final RegionKind KIND = RegionKind.of("ITST");
    /** Layout version written and accepted. */
    public static final int VERSION = 1;

    private TestRegions() {
    }
}
