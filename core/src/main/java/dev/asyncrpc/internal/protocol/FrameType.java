package dev.asyncrpc.internal.protocol;

/** Frame types with their byte codes on the wire. Unknown codes are a protocol error. */
public enum FrameType {

    HELLO(0x01),
    HELLO_ACK(0x02),
    CALL(0x10),
    REPLY(0x11),
    ERROR(0x12),
    CANCEL(0x13),
    PIPE_DATA(0x20),
    PIPE_END(0x21),
    CREDIT(0x22),
    PING(0x30),
    PONG(0x31),
    GOAWAY(0x32);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return this.code;
    }

    /**
     * The type for a code.
     * @param code the unsigned byte read from the wire
     * @return the type, or {@code null} if the code is unknown
     */
    public static FrameType fromCode(int code) {
        return BY_CODE[code & 0xFF];
    }
}
