package dev.caviar.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The text of a config file before HOCON sees it, for the two faults whose HOCON message points
 * nowhere useful: bytes that are not UTF-8 (a bare {@code MalformedInputException}) and a {@code {}
 * never closed (reported as a missing {@code )} at the last line).
 */
final class HoconText {
  private HoconText() {}

  /** The file as UTF-8, or an error naming the line and offset of the first byte that is not. */
  static String readUtf8(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StudyConfigException(file + ": cannot read the config: " + e, e);
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new StudyConfigException(
          String.format(
              Locale.ROOT,
              "%s: %d: not UTF-8 text (byte 0x%02X at offset %d); save the file as UTF-8",
              file,
              line,
              bytes[at] & 0xff,
              at),
          null);
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /**
   * The line of the first {@code {} or {@code [} that is never closed, or 0 when they balance.
   * Strings and comments ({@code #}, {@code //}) are skipped.
   */
  static int unclosedLine(String text) {
    Deque<Integer> open = new ArrayDeque<>();
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
      } else if (c == '"') {
        for (i++; i < text.length() && text.charAt(i) != '"' && text.charAt(i) != '\n'; i++) {
          i += text.charAt(i) == '\\' ? 1 : 0;
        }
      } else if (c == '#' || (c == '/' && text.startsWith("//", i))) {
        while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
          i++;
        }
      } else if (c == '{' || c == '[') {
        open.push(line);
      } else if ((c == '}' || c == ']') && !open.isEmpty()) {
        open.pop();
      }
    }
    return open.isEmpty() ? 0 : open.getLast();
  }
}
