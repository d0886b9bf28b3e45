package dev.asyncrpc.test;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A client written from {@code docs/protocol.md} alone, on a plain blocking socket, for the attacks of
 * the hostile-peer suite: it sends frames it builds byte by byte, and either never reads what comes
 * back or counts it on a reader thread ({@link #startCounting()}). Loopback only.
 */
public final class RawPeer implements Closeable {

    public static final int HELLO = 0x01;
    public static final int HELLO_ACK = 0x02;
    public static final int CALL = 0x10;
    public static final int REPLY = 0x11;
    public static final int ERROR = 0x12;
    public static final int PING = 0x30;
    public static final int PONG = 0x31;
    public static final int GOAWAY = 0x32;

    /**
     * Messages of GOAWAY and ERROR frames, from every peer, that speak of running out of memory: an
     * {@code OutOfMemoryError} the server caught and turned into a message would not show in its output.
     */
    public static final java.util.List<String> MEMORY_ALARMS = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** The server's settings from its HELLO_ACK, by id. */
    private final Map<Integer, Long> serverSettings = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> framesByType = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> errorsByStatus = new ConcurrentHashMap<>();
    private final AtomicLong largestFrame = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private volatile String goaway;
    private volatile boolean ended;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = socket.getOutputStream();
    }

    /**
     * Connect and shake hands, announcing {@code maxFrameSize} (the other settings at their defaults).
     * @param receiveBuffer the socket's receive buffer in bytes, or 0 for the system's default (a small one
     *        makes replies that are never read back up into the server at once)
     */
    public static RawPeer connect(int port, int maxFrameSize, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(20_000);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        RawPeer peer = new RawPeer(socket);
        try {
            peer.send(hello(maxFrameSize));
            byte[] ack = peer.readFrame();
            if (ack[4] != HELLO_ACK) {
                throw new IOException("expected HELLO_ACK, got frame type " + ack[4]);
            }
            ByteBuffer b = ByteBuffer.wrap(ack, 16, ack.length - 16); // after header, magic and version
            int count = b.getShort() & 0xffff;
            for (int i = 0; i < count; i++) {
                peer.serverSettings.put(b.getShort() & 0xffff, b.getInt() & 0xffffffffL);
            }
        }
        catch (IOException ex) {
            socket.close();
            throw ex;
        }
        return peer;
    }

    /** A setting the server announced (1 MAX_FRAME_SIZE, 2 MAX_CONCURRENT_CALLS, ...), or -1. */
    public long serverSetting(int id) {
        return this.serverSettings.getOrDefault(id, -1L);
    }

    /** Write bytes (blocks while the server does not read). */
    public void send(byte[] bytes) throws IOException {
        this.out.write(bytes);
        this.out.flush();
        this.bytesWritten.addAndGet(bytes.length);
    }

    public long bytesWritten() {
        return this.bytesWritten.get();
    }

    /** Read one whole frame, length field included. */
    public byte[] readFrame() throws IOException {
        int length = this.in.readInt();
        byte[] frame = new byte[4 + length];
        ByteBuffer.wrap(frame).putInt(length);
        this.in.readFully(frame, 4, length);
        return frame;
    }

    /** Read every frame on a daemon thread from now on, counting them by type (and errors by status). */
    public RawPeer startCounting() {
        Thread reader = new Thread(() -> {
            try {
                this.socket.setSoTimeout(0);
                while (true) {
                    byte[] frame = readFrame();
                    count(frame);
                }
            }
            catch (IOException ex) {
                this.ended = true;
            }
        }, "raw-peer-reader");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    private void count(byte[] frame) {
        this.largestFrame.accumulateAndGet(frame.length - 4, Math::max);
        int type = frame[4] & 0xff;
        this.framesByType.computeIfAbsent(type, t -> new LongAdder()).increment();
        if (type == ERROR) {
            this.errorsByStatus.computeIfAbsent(status(frame), s -> new LongAdder()).increment();
            watch(message(frame));
        }
        else if (type == GOAWAY) {
            ByteBuffer b = ByteBuffer.wrap(frame, 10, frame.length - 10);
            b.getInt();
            int status = b.getShort() & 0xffff;
            byte[] message = new byte[b.getShort() & 0xffff];
            b.get(message);
            this.goaway = status + " " + new String(message, StandardCharsets.UTF_8);
            watch(this.goaway);
        }
    }

    private static void watch(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if ((m.contains("outof") || m.contains("direct memory") || m.contains("heap space")) && MEMORY_ALARMS.size() < 20) {
            MEMORY_ALARMS.add(message);
        }
    }

    /** Frames of {@code type} counted so far. */
    public long frames(int type) {
        LongAdder a = this.framesByType.get(type);
        return a == null ? 0 : a.sum();
    }

    /** ERROR frames with {@code status} counted so far. */
    public long errors(int status) {
        LongAdder a = this.errorsByStatus.get(status);
        return a == null ? 0 : a.sum();
    }

    public Map<Integer, Long> errorsByStatus() {
        Map<Integer, Long> copy = new java.util.TreeMap<>();
        this.errorsByStatus.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** The GOAWAY received ("status message"), or null. */
    public String goaway() {
        return this.goaway;
    }

    /** Whether the counting reader saw the connection end. */
    public boolean ended() {
        return this.ended;
    }

    /** Whether the server closed the connection: reads (dropping frames) until the end of the stream or {@code millis}. */
    public boolean awaitClosedByServer(int millis) throws IOException {
        this.socket.setSoTimeout(millis);
        try {
            while (true) {
                count(readFrame());
            }
        }
        catch (EOFException | SocketException ex) {
            return true;
        }
        catch (java.net.SocketTimeoutException ex) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }

    // ---- frames, from docs/protocol.md ----

    public static byte[] frame(int type, int flags, int callId, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(10 + payload.length);
        b.putInt(6 + payload.length).put((byte) type).put((byte) flags).putInt(callId).put(payload);
        return b.array();
    }

    public static byte[] hello(int maxFrameSize) {
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 2 + 4 * 6);
        b.putInt(0x41525043).putShort((short) 1).putShort((short) 4);
        b.putShort((short) 1).putInt(maxFrameSize);
        b.putShort((short) 2).putInt(100_000);
        b.putShort((short) 3).putInt(1 << 20);
        b.putShort((short) 4).putInt(8 * 1024);
        return frame(HELLO, 0, 0, b.array());
    }

    /** A CALL of {@code operation} ("service/operation") with each argument already encoded (section 3). */
    public static byte[] call(int callId, String operation, byte[]... args) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        byte[] name = operation.getBytes(StandardCharsets.UTF_8);
        p.write(name.length >>> 8);
        p.write(name.length);
        p.writeBytes(name);
        p.write(args.length);
        for (byte[] arg : args) {
            p.writeBytes(ByteBuffer.allocate(4).putInt(arg.length).array());
            p.writeBytes(arg);
        }
        return frame(CALL, 0, callId, p.toByteArray());
    }

    public static byte[] ping(long opaque) {
        return frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(opaque).array());
    }

    /** The status of an ERROR frame. */
    public static int status(byte[] errorFrame) {
        return ((errorFrame[10] & 0xff) << 8) | (errorFrame[11] & 0xff);
    }

    /** The message of an ERROR frame. */
    public static String message(byte[] errorFrame) {
        int length = ((errorFrame[12] & 0xff) << 8) | (errorFrame[13] & 0xff);
        return new String(errorFrame, 14, length, StandardCharsets.UTF_8);
    }

    // ---- CBOR (RFC 8949), just what the attacks need ----

    private static byte[] head(int major, long value) {
        int m = major << 5;
        if (value < 24) {
            return new byte[] { (byte) (m | value) };
        }
        if (value < 0x100) {
            return new byte[] { (byte) (m | 24), (byte) value };
        }
        if (value < 0x10000) {
            return new byte[] { (byte) (m | 25), (byte) (value >>> 8), (byte) value };
        }
        if (value < 0x100000000L) {
            return ByteBuffer.allocate(5).put((byte) (m | 26)).putInt((int) value).array();
        }
        return ByteBuffer.allocate(9).put((byte) (m | 27)).putLong(value).array();
    }

    /** A non-negative integer. */
    public static byte[] cborInt(long value) {
        return head(0, value);
    }

    /** A text string. */
    public static byte[] cborText(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(head(3, utf8.length));
        b.writeBytes(utf8);
        return b.toByteArray();
    }

    /** {@code count} nested tags (tag 6, one byte each) around {@code item}. */
    public static byte[] cborTags(int count, byte[] item) {
        byte[] b = new byte[count + item.length];
        java.util.Arrays.fill(b, 0, count, (byte) 0xc6);
        System.arraycopy(item, 0, b, count, item.length);
        return b;
    }

    /** Decode a CBOR text string (a REPLY's payload). */
    public static String decodeText(byte[] bytes, int offset) {
        int info = bytes[offset] & 0x1f;
        int major = (bytes[offset] & 0xff) >>> 5;
        if (major != 3) {
            throw new IllegalArgumentException("not a text string: major type " + major);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, offset + 1, bytes.length - offset - 1);
        long length = info < 24 ? info : info == 24 ? b.get() & 0xff : info == 25 ? b.getShort() & 0xffff : b.getInt() & 0xffffffffL;
        byte[] utf8 = new byte[(int) length];
        b.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
