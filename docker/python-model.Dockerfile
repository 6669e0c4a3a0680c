# An example Python model: the SDK plus one model.py from examples/models/<name>/.
FROM clipper/python-base
ARG MODEL_DIR
COPY model-container-sdk/python/clipper_container /opt/clipper/sdk/clipper_container
COPY ${MODEL_DIR}/model.py /opt/clipper/model.py
ENV PYTHONPATH=/opt/clipper/sdk CLIPPER_PORT=7000 PYTHONUNBUFFERED=1
EXPOSE 7000
CMD ["python3", "/opt/clipper/model.py"]
