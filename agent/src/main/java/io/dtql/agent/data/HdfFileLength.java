package io.dtql.agent.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Refuses an HDF5 file that is shorter than its superblock says it is, as the HDF5 library itself
 * does ("truncated file"). jhdf does not check: it maps the file and reads what lies at each
 * address, and past the end of a file cut short (a copy stopped halfway, a full disk) it returns
 * made-up values (repeated observation rows, extra timeouts) instead of failing.
 *
 * <p>The superblock sits at byte 0 or, after a user block, at 512, 1024, 2048, ... Layout (HDF5
 * file format spec, section II.A): versions 0 and 1 hold the base, free-space, end-of-file and
 * driver addresses after 24 bytes of fixed fields (28 in version 1); versions 2 and 3 hold the
 * base, extension and end-of-file addresses after 12 bytes. Addresses are little-endian, {@code
 * sizeOfOffsets} bytes. The library stores the end-of-file address including the base address (the
 * user block's size) and, like it, we shift it when the base address is not the superblock's
 * position (H5Fsuper.c: {@code stored_eof}).
 */
final class HdfFileLength {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  private static final int FIRST_USER_BLOCK_OFFSET = 512;

  private HdfFileLength() {}

  /**
   * Fails with a {@link DatasetException} naming the file, its size and the size its superblock
   * promises when the file is shorter. A file without an HDF5 signature passes: opening it reports
   * that it is not HDF5.
   */
  static void requireComplete(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long offset = superblockOffset(channel, size);
      if (offset < 0) {
        return;
      }
      long expected = promisedSize(channel, offset, size, file);
      if (size < expected) {
        throw new DatasetException(
            file,
            "is truncated: the file is "
                + size
                + " bytes but its HDF5 superblock says it ends at byte "
                + expected
                + " ("
                + (expected - size)
                + " bytes missing; was it copied halfway or written to a full disk?)");
      }
    } catch (IOException e) {
      throw new DatasetException(file, null, "could not be read (" + e.getMessage() + ")", e);
    }
  }

  /** The superblock's position: 0, 512, 1024, 2048, ...; -1 when there is no signature. */
  private static long superblockOffset(FileChannel channel, long size) throws IOException {
    for (long offset = 0;
        offset + SIGNATURE.length <= size;
        offset = offset == 0 ? FIRST_USER_BLOCK_OFFSET : offset * 2) {
      ByteBuffer bytes = read(channel, offset, SIGNATURE.length);
      if (bytes != null && bytes.equals(ByteBuffer.wrap(SIGNATURE))) {
        return offset;
      }
    }
    return -1;
  }

  private static long promisedSize(FileChannel channel, long offset, long size, Path file)
      throws IOException {
    ByteBuffer head = read(channel, offset + SIGNATURE.length, 8);
    if (head == null) {
      throw endsInsideSuperblock(file, size, offset);
    }
    int version = Byte.toUnsignedInt(head.get(0));
    int sizeOfOffsets;
    long baseAddressField;
    switch (version) {
      case 0, 1 -> {
        sizeOfOffsets = Byte.toUnsignedInt(head.get(5));
        baseAddressField = version == 0 ? 24 : 28;
      }
      case 2, 3 -> {
        sizeOfOffsets = Byte.toUnsignedInt(head.get(1));
        baseAddressField = 12;
      }
      default ->
          throw new DatasetException(
              file, "has HDF5 superblock version " + version + ", which is not one of 0 to 3");
    }
    if (sizeOfOffsets != 2 && sizeOfOffsets != 4 && sizeOfOffsets != 8) {
      throw new DatasetException(
          file, "has an HDF5 superblock with " + sizeOfOffsets + "-byte addresses (damaged?)");
    }
    // The end-of-file address is the third address in every version.
    ByteBuffer addresses = read(channel, offset + baseAddressField, 3 * sizeOfOffsets);
    if (addresses == null) {
      throw endsInsideSuperblock(file, size, offset);
    }
    long baseAddress = address(addresses, 0, sizeOfOffsets);
    long endOfFile = address(addresses, 2 * sizeOfOffsets, sizeOfOffsets);
    if (baseAddress < 0 || endOfFile < 0) {
      throw new DatasetException(
          file, "has an HDF5 superblock with an undefined base or end-of-file address (damaged?)");
    }
    return endOfFile - baseAddress + offset;
  }

  /** The unsigned little-endian address of {@code size} bytes at {@code index}. */
  private static long address(ByteBuffer bytes, int index, int size) {
    long value = 0;
    for (int i = size - 1; i >= 0; i--) {
      value = (value << 8) | Byte.toUnsignedInt(bytes.get(index + i));
    }
    return value;
  }

  private static DatasetException endsInsideSuperblock(Path file, long size, long offset) {
    return new DatasetException(
        file,
        "is truncated: the file is "
            + size
            + " bytes and ends inside its HDF5 superblock (at byte "
            + offset
            + ")");
  }

  /** {@code length} bytes at {@code position}, or null when the file ends before them. */
  private static ByteBuffer read(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        return null;
      }
    }
    return buffer.flip();
  }
}
