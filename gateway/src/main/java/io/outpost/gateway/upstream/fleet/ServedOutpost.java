package io.outpost.gateway.upstream.fleet;

import io.outpost.gateway.upstream.push.UpstreamPush;
import io.outpost.link.LinkInbox;
import io.outpost.link.SiteLink;

/** One outpost the running upstream serves: the member as added, its end of the link and its pushes. */
public record ServedOutpost(FleetMember member, SiteLink link, LinkInbox inbox, UpstreamPush push) {
}
