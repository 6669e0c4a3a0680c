# Debian's scikit-learn, PyTorch (CPU), XGBoost and cloudpickle on the Python base: the layer the
# framework runtimes and the digits example models share (large, so built once).
FROM clipper/python-base
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-sklearn python3-torch python3-xgboost \
      python3-cloudpickle \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
