# A digits example model (examples/models/digits-<KIND>): the SDK and the clipper_digits package on
# Debian's scikit-learn, PyTorch and XGBoost; the model is trained while the image is built, so a
# container serves at once. LABEL_PERMUTATION=7390814265 gives digits-logreg-permuted.
FROM clipper/python-frameworks
ARG KIND
ARG LABEL_PERMUTATION=
COPY model-container-sdk/python/clipper_container /opt/clipper/sdk/clipper_container
COPY examples/digits/clipper_digits /opt/clipper/digits/clipper_digits
ENV PYTHONPATH=/opt/clipper/sdk:/opt/clipper/digits CLIPPER_PORT=7000 PYTHONUNBUFFERED=1 \
    DIGITS_CACHE_DIR=/opt/clipper/cache DIGITS_KIND=${KIND} LABEL_PERMUTATION=${LABEL_PERMUTATION}
RUN python3 -m clipper_digits train "${KIND}"
EXPOSE 7000
CMD ["sh", "-c", "exec python3 -m clipper_digits serve \"$DIGITS_KIND\""]
