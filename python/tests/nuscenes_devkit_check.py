"""Runs the official nuscenes-devkit on a FusionLabel export; prints one JSON line of what it found.

    python nuscenes_devkit_check.py DATAROOT VERSION WORK_FOLDER

Run with the Python that has nuscenes-devkit (it needs numpy < 2; `scripts/run-python-tests` keeps it
in its own virtual environment). What it does, each with the devkit's own code:
- loads the tables (NuScenes), lists scenes, renders a LiDAR sample with its boxes and a camera image,
  and reports every keyframe's boxes in its LiDAR frame (`get_sample_data`);
- turns the ground truth into a submission (boxes with the devkit's own velocities and attributes) and
  runs the detection evaluation on the export's `fusionlabel` split against itself (the standard
  configuration: per-class AP and errors are reported; a class the export does not have scores 0
  by the devkit's definition, which is why mAP and NDS are not 1);
- does the same for the tracking evaluation (instances as tracks), restricted to the classes present
  (the tracking configuration allows it).
"""

import io
import json
import os
import sys
from contextlib import redirect_stdout

import matplotlib

matplotlib.use("Agg")

from nuscenes.eval.common.loaders import get_samples_of_custom_split, load_gt_of_sample_tokens  # noqa: E402
from nuscenes.eval.common.config import config_factory  # noqa: E402
from nuscenes.eval.detection.data_classes import DetectionBox  # noqa: E402
from nuscenes.eval.detection.evaluate import DetectionEval  # noqa: E402
from nuscenes.eval.tracking.data_classes import TrackingBox, TrackingConfig  # noqa: E402
from nuscenes.eval.tracking.evaluate import TrackingEval  # noqa: E402
from nuscenes.nuscenes import NuScenes  # noqa: E402

SPLIT = "fusionlabel"


def submission(boxes, tracking):
    """The ground-truth boxes as a result file: every box, score 1, the devkit's own velocity and attribute."""
    results = {}
    for token in boxes.sample_tokens:
        entries = []
        for box in boxes[token]:
            entry = {"sample_token": token, "translation": list(box.translation), "size": list(box.size),
                     "rotation": list(box.rotation), "velocity": list(box.velocity)}
            if tracking:
                entry.update(tracking_id=box.tracking_id, tracking_name=box.tracking_name, tracking_score=1.0)
            else:
                entry.update(detection_name=box.detection_name, detection_score=1.0, attribute_name=box.attribute_name)
            entries.append(entry)
        results[token] = entries
    return {"meta": {"use_camera": False, "use_lidar": True, "use_radar": False, "use_map": False, "use_external": False},
            "results": results}


def restricted(config, present):
    """The tracking config restricted to the classes the export has."""
    serialized = config.serialize()
    serialized["class_range"] = {name: distance for name, distance in serialized["class_range"].items() if name in present}
    serialized["tracking_names"] = [name for name in serialized["tracking_names"] if name in present]
    return serialized


def main():
    dataroot, version, work = sys.argv[1:4]
    report = {}
    with redirect_stdout(io.StringIO()):
        nusc = NuScenes(version=version, dataroot=dataroot, verbose=False)
        nusc.list_scenes()
        sample = nusc.sample[len(nusc.sample) // 2]
        lidar = sample["data"]["LIDAR_TOP"]
        nusc.render_sample_data(lidar, with_anns=True, out_path=os.path.join(work, "lidar.png"), verbose=False)
        cameras = [channel for channel in sample["data"] if channel.startswith("CAM")]
        if cameras:
            nusc.render_sample_data(sample["data"][cameras[0]], with_anns=True, out_path=os.path.join(work, "camera.png"), verbose=False)
        report["tables"] = {table: len(getattr(nusc, table)) for table in nusc.table_names}
        report["scenes"] = [scene["name"] for scene in nusc.scene]
        report["renders"] = sorted(name for name in os.listdir(work) if name.endswith(".png"))
        # Every keyframe's boxes in its LiDAR frame, as the devkit computes them (get_sample_data).
        report["lidar_boxes"] = {}
        for scene in nusc.scene:
            token = scene["first_sample_token"]
            while token:
                sample = nusc.get("sample", token)
                _, boxes, _ = nusc.get_sample_data(sample["data"]["LIDAR_TOP"])
                report["lidar_boxes"][sample["token"]] = [
                    {"annotation": box.token, "center": list(box.center), "wlh": list(box.wlh), "orientation": list(box.orientation.elements)}
                    for box in boxes]
                token = sample["next"]

        tokens = get_samples_of_custom_split(SPLIT, nusc)
        for task, box_class in (("detection", DetectionBox), ("tracking", TrackingBox)):
            if task == "tracking":
                config_factory("tracking_nips_2019")  # a tracking config declares the tracking names boxes may carry
            gt = load_gt_of_sample_tokens(nusc, tokens, box_class)
            present = {getattr(box, f"{task}_name") for token in gt.sample_tokens for box in gt[token]}
            result_path = os.path.join(work, f"{task}-results.json")
            with open(result_path, "w") as handle:
                json.dump(submission(gt, task == "tracking"), handle)
            if task == "detection":
                metrics, _ = DetectionEval(nusc, config_factory("detection_cvpr_2019"), result_path, SPLIT, os.path.join(work, task),
                                           verbose=False).evaluate()
                serialized = metrics.serialize()
                report["detection"] = {"classes": sorted(present), "mAP": metrics.mean_ap, "NDS": metrics.nd_score,
                                       "ap": {name: serialized["label_aps"][name] for name in present},
                                       "errors": {name: serialized["label_tp_errors"][name] for name in present}}
            else:
                config = TrackingConfig.deserialize(restricted(config_factory("tracking_nips_2019"), present))
                metrics = TrackingEval(config, result_path, SPLIT, os.path.join(work, task), nusc.version, nusc.dataroot,
                                       verbose=False).main()
                report["tracking"] = {"classes": sorted(present), "AMOTA": metrics["amota"], "AMOTP": metrics["amotp"],
                                      "IDS": metrics["ids"], "amota": {name: metrics["label_metrics"]["amota"][name] for name in present}}
    print(json.dumps(report, default=float))


if __name__ == "__main__":
    main()
