package io.outpost.link;

import io.outpost.brokerclient.Addresses;

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

    /** The direction {@code site} ("outpost" or "upstream") sends in. */
    public static LinkDirection from(String site) {
        return "outpost".equals(site) ? TO_UPSTREAM : TO_OUTPOST;
    }

    /** The other way across. */
    public LinkDirection reverse() {
        return this == TO_UPSTREAM ? TO_OUTPOST : TO_UPSTREAM;
    }

    public String fromSite() {
        return fromSite;
    }

    public String toSite() {
        return toSite;
    }

    /** The queue of the sending site's broker that messages of the link to {@code outpost} wait on. */
    public String outbound(String outpost) {
        return this == TO_OUTPOST ? Addresses.outboundTo(outpost) : Addresses.LINK_OUTBOUND;
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
