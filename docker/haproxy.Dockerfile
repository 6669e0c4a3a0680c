# HAProxy in front of the query frontends of docker-compose (up --scale query-frontend=N):
# deploy/haproxy's config with a server slot per frontend container Docker's DNS resolves
# `query-frontend` to (up to 10), re-resolved every second.
FROM local/debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends haproxy \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY deploy/haproxy/ /opt/clipper/haproxy/
RUN /opt/clipper/haproxy/render.sh --dns query-frontend 10 '*' 1337 1339 /run/haproxy.sock \
      >/etc/haproxy/clipper.cfg \
 && haproxy -c -q -f /etc/haproxy/clipper.cfg
EXPOSE 1337 1339
CMD ["haproxy", "-db", "-f", "/etc/haproxy/clipper.cfg"]
