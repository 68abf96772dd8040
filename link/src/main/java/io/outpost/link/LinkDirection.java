package io.outpost.link;


/** The two ways across the link, named by where messages go. */
public enum LinkDirection {
    TO_UPSTREAM("outpost", "upstream"),
    TO_OUTPOST("upstream", "outpost");

    private final String fromSite;
    private final String toSite;

    LinkDirection(String fromSite, String toSite) {
        this.fromSite = fromSite;
        this.toSite = toSite;
    }

    public String fromSite() {
        return fromSite;
    }

    public String toSite() {
        return toSite;
    }

    /** The tag value in metrics and status: "to-upstream", "to-outpost". */
    public String tag() {
        return "to-" + toSite;
    }

    /** Where lost messages are counted: "lost-to-upstream", "lost-to-outpost". */
    public String lostTag() {
        return "lost-to-" + toSite;
    }
}
