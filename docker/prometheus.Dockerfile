# Prometheus from Debian's package, for docker-compose.yml (which mounts
# deploy/observability/prometheus.yml and its rules/ under /etc/prometheus) and
# deploy/kubernetes/prometheus.yaml (ConfigMaps mounted there). Debian's systemd unit plays no
# part: the binary is the entrypoint.
FROM local/debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends prometheus \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /prometheus && chown prometheus:prometheus /prometheus
USER prometheus
VOLUME /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
