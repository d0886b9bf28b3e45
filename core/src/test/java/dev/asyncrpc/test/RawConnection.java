package dev.asyncrpc.test;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * A hand-written peer on a plain blocking socket: sends and reads whole frames as bytes, so that
 * tests see exactly what is on the wire. Loopback only.
 */
public final class RawConnection implements Closeable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawConnection connect(int port) throws IOException {
        return new RawConnection(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    public void send(byte[] frame) throws IOException {
        this.out.write(frame);
        this.out.flush();
    }

    /** Read one whole frame, length field included. */
    public byte[] readFrame() throws IOException {
        int length = this.in.readInt();
        byte[] frame = new byte[4 + length];
        ByteBuffer.wrap(frame).putInt(length);
        this.in.readFully(frame, 4, length);
        return frame;
    }

    /** Whether the peer closed the connection (reads until end of stream, dropping frames). */
    public boolean awaitClosed() throws IOException {
        this.socket.setSoTimeout(120_000); // the peer closes when its test is done, which may take long under load
        try {
            while (this.in.read() >= 0) {
                // drain
            }
            return true;
        }
        catch (java.net.SocketException ex) {
            return true;
        }
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }
}
