package ai.clipper.management.api;

import ai.clipper.management.config.ManagementProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses {@link Mutating} calls without {@code Authorization: Bearer <token>} when
 * {@code clipper.management.auth-token} is set; getters and ping stay open.
 */
class BearerTokenInterceptor implements HandlerInterceptor {

  private static final String BEARER = "Bearer ";

  private final Optional<byte[]> token;

  BearerTokenInterceptor(ManagementProperties properties) {
    this.token = properties.authToken().map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response,
      Object handler) {
    if (token.isEmpty() || !(handler instanceof HandlerMethod method)
        || !method.hasMethodAnnotation(Mutating.class)) {
      return true;
    }
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.startsWith(BEARER)) {
      throw new UnauthorizedException("This call needs an 'Authorization: Bearer <token>' header");
    }
    byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token.get())) { // constant time
      throw new UnauthorizedException("The bearer token is not valid");
    }
    return true;
  }
}
