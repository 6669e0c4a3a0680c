package ai.clipper.management.api;

import ai.clipper.management.config.ManagementProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies at {@code clipper.management.max-body-size}: reading past the limit (or a
 * declared Content-Length over it) fails with {@link BodyTooLargeException}, which the error
 * handler answers as 413, so an oversized body is never buffered.
 */
@Component
class BodySizeLimitFilter extends OncePerRequestFilter {

  private final long limit;

  BodySizeLimitFilter(ManagementProperties properties) {
    this.limit = properties.maxBodySize().toBytes();
  }

  /** Model artifacts have their own, larger limit ({@link ArtifactController}). */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return "/admin/upload_artifact".equals(request.getRequestURI());
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    chain.doFilter(new LimitedRequest(request, limit), response);
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {

    private final long limit;
    private ServletInputStream limited;

    LimitedRequest(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (limited == null) {
        limited = new LimitedStream(super.getInputStream(), limit, getContentLengthLong());
      }
      return limited;
    }
  }

  private static final class LimitedStream extends ServletInputStream {

    private final ServletInputStream in;
    private final long limit;
    private final long declaredLength;
    private long read;

    LimitedStream(ServletInputStream in, long limit, long declaredLength) {
      this.in = in;
      this.limit = limit;
      this.declaredLength = declaredLength;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (declaredLength > limit) {
        throw new BodyTooLargeException(limit);
      }
      int n = in.read(buffer, offset, length);
      read += Math.max(n, 0);
      if (read > limit) {
        throw new BodyTooLargeException(limit);
      }
      return n;
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
