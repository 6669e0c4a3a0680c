package ai.clipper.management.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every admin request body as JSON whatever its Content-Type, as Clipper did, so a plain
 * {@code curl -d '{...}'} (sent as a form) works instead of answering 415.
 */
@Component
class JsonBodyFilter extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    chain.doFilter(isJson(request.getContentType()) ? request : new JsonRequest(request),
        response);
  }

  private static boolean isJson(String contentType) {
    try {
      return contentType != null
          && MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType));
    } catch (org.springframework.http.InvalidMediaTypeException unparsable) {
      return false;
    }
  }

  private static final class JsonRequest extends HttpServletRequestWrapper {

    JsonRequest(HttpServletRequest request) {
      super(request);
    }

    @Override
    public String getContentType() {
      return MediaType.APPLICATION_JSON_VALUE;
    }

    @Override
    public String getHeader(String name) {
      return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? getContentType()
          : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
          ? Collections.enumeration(java.util.List.of(getContentType()))
          : super.getHeaders(name);
    }
  }
}
