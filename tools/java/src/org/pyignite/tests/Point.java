package org.pyignite.tests;

import java.io.Serializable;

/** A small complex object made on the server (tests/compute, tests/services). */
public class Point implements Serializable {
    private static final long serialVersionUID = 1L;

    private int x;

    private int y;

    private String label;

    public Point(int x, int y, String label) {
        this.x = x;
        this.y = y;
        this.label = label;
    }
}
