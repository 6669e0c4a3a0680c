"""The digits example models: six classifiers of scikit-learn's bundled digits, served as containers.

One package for every examples/models/digits-* folder: each folder's run script names a model kind
(logreg, linear-svm, kernel-svm, forest, cnn, xgboost) and this package trains it (once, then cached),
and serves it with the Python SDK. See docs/sdk.md, section "The digits models".

    python3 -m clipper_digits serve logreg     # train when not cached, then serve (CLIPPER_* env)
    python3 -m clipper_digits train            # train and cache every model ahead of time
"""
