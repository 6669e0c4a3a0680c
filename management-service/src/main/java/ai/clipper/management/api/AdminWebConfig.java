package ai.clipper.management.api;

import ai.clipper.management.config.ManagementProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts the bearer-token check in front of the admin endpoints. */
@Configuration(proxyBeanMethods = false)
class AdminWebConfig implements WebMvcConfigurer {

  private final ManagementProperties properties;

  AdminWebConfig(ManagementProperties properties) {
    this.properties = properties;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new BearerTokenInterceptor(properties)).addPathPatterns("/admin/**");
  }
}
