# Redis from Debian's package, configured by redis/redis.conf (bound to all interfaces by compose),
# persisted in /data.
FROM local/debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY redis/redis.conf /etc/redis/clipper.conf
# the append-only file: docker-compose mounts the named volume redis-data here
RUN mkdir -p /data
VOLUME /data
EXPOSE 6379
CMD ["redis-server", "/etc/redis/clipper.conf", "--bind", "0.0.0.0", "--protected-mode", "no", \
     "--dir", "/data"]
