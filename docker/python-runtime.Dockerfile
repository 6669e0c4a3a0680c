# A Python framework runtime (RUNTIME: python-closure, sklearn, xgboost or pytorch, with the
# Debian PACKAGES it imports): serves the artifact that the launcher names in CLIPPER_ARTIFACT_URL
# and CLIPPER_ARTIFACT_DIGEST, which it fetches from the management service and checks
# (runtimes/README.md).
FROM clipper/python-base
ARG PACKAGES
RUN apt-get update \
 && apt-get install -y --no-install-recommends ${PACKAGES} \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
ARG RUNTIME
COPY model-container-sdk/python/clipper_container /opt/clipper/sdk/clipper_container
ENV PYTHONPATH=/opt/clipper/sdk CLIPPER_PORT=7000 PYTHONUNBUFFERED=1 CLIPPER_RUNTIME=${RUNTIME}
EXPOSE 7000
CMD ["sh", "-c", "exec python3 -m clipper_container.runtime \"$CLIPPER_RUNTIME\""]
