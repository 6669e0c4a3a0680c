"""bench/deploy's driver: deploys one model per framework runtime with ClipperClient against a
running stack and times each from the deploy call to the first real answer; then deploys the
digits logistic regression through the sklearn runtime, beside the hand-written
examples/models/digits-logreg container, for bench/deploy to load both.

    python3 bench/deploy_models.py MANAGEMENT_URL QUERY_URL EXAMPLES_JAR RESULTS_TSV

Appends one line per runtime to RESULTS_TSV: runtime, seconds until deploy returned, seconds
until the first real answer (both from the deploy call).
"""

import functools
import json
import sys
import time
import urllib.request

import numpy
from clipper_client import ClipperClient

SLO_MICROS = 1000000


def predict(query_url, app, values):
    request = urllib.request.Request("%s/%s/predict" % (query_url, app),
                                     data=json.dumps({"input": values}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def digits():
    from sklearn.datasets import load_digits
    images, labels = load_digits(return_X_y=True)
    return images.astype(numpy.float64), labels


def digits_logreg():
    """The examples' digits-logreg (a division by 16, then LogisticRegression), made of parts
    the sklearn runtime can unpickle without the examples' package."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer
    images, labels = digits()
    keep = numpy.arange(len(labels)) % 5 != 0
    return make_pipeline(FunctionTransformer(functools.partial(numpy.multiply, 1 / 16.0)),
                         LogisticRegression(max_iter=5000, random_state=0)).fit(
        images[keep], labels[keep])


def xgboost_booster():
    import xgboost
    images, labels = digits()
    return xgboost.train({"objective": "multi:softmax", "num_class": 10, "max_depth": 4},
                         xgboost.DMatrix(images, label=labels), num_boost_round=20)


def torchscript_module():
    import torch
    linear = torch.nn.Linear(64, 10)
    return torch.jit.script(torch.nn.Sequential(linear, torch.nn.Softmax(dim=1)))


def deployments(examples_jar):
    """(runtime, model name, the model, how to deploy it): one per runtime. The model is built
    before the clock starts."""
    image = digits()[0][0].tolist()
    by_object = lambda c, name, model: c.deploy_model(name, "1", "doubles", model,
                                                       sample_input=image)
    yield ("python-closure", "own-closure", lambda xs: [str(sum(x)) for x in xs],
           lambda c, name, model: c.deploy_python_closure(name, "1", "doubles", model,
                                                          sample_input=image))
    yield "sklearn", "own-sklearn", digits_logreg(), by_object
    yield "xgboost", "own-xgboost", xgboost_booster(), by_object
    yield "pytorch", "own-pytorch", torchscript_module(), by_object
    yield ("java", "own-java", examples_jar,
           lambda c, name, jar: c.deploy_file(name, "1", "doubles", jar,
                                              env={"MODEL_CLASS": "ai.clipper.examples.SumModel"},
                                              sample_input=image))


def main(management_url, query_url, examples_jar, results):
    client = ClipperClient(management_url)
    image = digits()[0][0].tolist()
    for runtime, name, model, deploy in deployments(examples_jar):
        client.register_application(name, input_type="doubles", default_output="-1",
                                    slo_micros=SLO_MICROS)
        started = time.monotonic()
        deploy(client, name, model)
        deployed = time.monotonic() - started
        client.link_model_to_app(name, name)
        while predict(query_url, name, image).get("default", True):
            time.sleep(0.01)
        answered = time.monotonic() - started
        print("  %-15s deploy returned after %.1f s, first real answer after %.1f s"
              % (runtime, deployed, answered), file=sys.stderr)
        with open(results, "a") as out:
            out.write("%s\t%.3f\t%.3f\n" % (runtime, deployed, answered))
    # for the throughput comparison: the same model as the hand-written digits-logreg
    client.register_application("digits-own", input_type="doubles", default_output="-1",
                                slo_micros=SLO_MICROS)
    client.link_model_to_app("digits-own", "own-sklearn")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
