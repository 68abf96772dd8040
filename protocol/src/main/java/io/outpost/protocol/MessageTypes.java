package io.outpost.protocol;


/** The {@link Envelope#type()} of every message Outpost sends. */
public final class MessageTypes {
    /** Outpost asks for the commits of a repo it lacks. */
    public static final String GIT_SYNC = "GitSync";
    /** Upstream answers a sync with a bundle of only the missing commits. */
    public static final String GIT_BUNDLE = "GitBundle";
    /** Upstream answers a sync whose haves are already the tips: nothing to send. */
    public static final String GIT_UP_TO_DATE = "GitUpToDate";
    /** Outpost asks for an image; upstream answers with the blobs it lacks, then the manifests. */
    public static final String IMAGE_PULL = "ImagePull";
    public static final String IMAGE_BLOB = "ImageBlob";
    public static final String IMAGE_CONTENT = "ImageContent";
    /** Outpost asks for a provider version; upstream answers with one package per platform. */
    public static final String PROVIDER_GET = "ProviderGet";
    public static final String PROVIDER_PACKAGE = "ProviderPackage";
    /** Outpost asks for a Terraform module (registry or git); upstream answers with it and the modules it calls. */
    public static final String MODULE_GET = "ModuleGet";
    public static final String MODULE_PACKAGE = "ModulePackage";
    /**
     * Outpost subscribes to a repo (the body is a {@link GitSync}: refs, tips and what it holds), and sends
     * it again as its acknowledgement after each update it applied; upstream pushes updates unasked. At the
     * outpost, an operator's {@code outpost subscribe} asks the gateway to subscribe with the same type.
     */
    public static final String SUBSCRIBE = "Subscribe";
    /** Upstream could not or would not answer. */
    public static final String ERROR = "Error";
    /** A body larger than one chunk follows in chunks. */
    public static final String TRANSFER_START = "TransferStart";
    public static final String CHUNK = "Chunk";
    /** A chunk computed from a block of a transfer's chunks, which rebuilds one lost of that block ({@link io.outpost.protocol.transfer.CodedBlocks}). */
    public static final String REPAIR_CHUNK = "RepairChunk";
    /** The receiver's account of a transfer: the chunks it holds, whether it is complete. */
    public static final String TRANSFER_REPORT = "TransferReport";
    /** Outpost-local: the gateway tells workers something is ready. */
    public static final String READY = "Ready";
    /** Outpost-local: an operator hands the gateway an archive from removable media ({@link ImportArchive}). */
    public static final String IMPORT_ARCHIVE = "ImportArchive";

    private MessageTypes() {
    }

    /**
     * The link takes higher priorities first (JMS priority 0-9): transfer control, then config, then
     * images; answers and their chunks keep their request's priority.
     */
    public static int priorityOf(String type) {
        return switch (type) {
            case TRANSFER_REPORT, TRANSFER_START -> 9;
            case GIT_SYNC, SUBSCRIBE -> 7;
            case IMAGE_PULL, PROVIDER_GET, MODULE_GET -> 5;
            default -> Envelope.DEFAULT_PRIORITY;
        };
    }
}
