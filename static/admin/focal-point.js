// Focal point picker for the image library (templates/admin/articles/image/focal_picker.html).
// Clicking the picture writes fractions (0–1) into the focal_x/focal_y inputs, which stay editable
// by keyboard; the previews crop exactly as articles/images/renditions.py crop_box() does.
"use strict";

(function () {
  function clamp(value, low, high) {
    return Math.min(Math.max(value, low), high);
  }

  // Position of the crop box as a fraction of the free space, as object-position expects.
  function cropOffset(focal, size, box) {
    if (size <= box) return 0.5;
    const start = clamp(focal * size - box / 2, 0, size - box);
    return start / (size - box);
  }

  function setUp(picker) {
    const inputX = document.getElementById(picker.dataset.focalX);
    const inputY = document.getElementById(picker.dataset.focalY);
    const fileInput = document.getElementById(picker.dataset.file);
    const stage = picker.querySelector(".focal-stage");
    const image = picker.querySelector(".focal-image");
    const marker = picker.querySelector(".focal-marker");
    const previews = picker.querySelector(".focal-previews");
    const empty = picker.querySelector(".focal-empty");
    let objectUrl = null;

    // Without the inputs (a read-only view for staff who may not change images) the picture
    // only shows the stored focal point.
    const editable = Boolean(inputX && inputY);
    if (!editable) stage.classList.add("focal-readonly");

    function current() {
      const x = parseFloat(editable ? inputX.value : picker.dataset.x);
      const y = parseFloat(editable ? inputY.value : picker.dataset.y);
      return { x: isNaN(x) ? 0.5 : clamp(x, 0, 1), y: isNaN(y) ? 0.5 : clamp(y, 0, 1) };
    }

    function draw() {
      const focal = current();
      // The marker is placed in physical coordinates: the picture is not mirrored in RTL.
      marker.style.left = focal.x * 100 + "%";
      marker.style.top = focal.y * 100 + "%";
      const width = image.naturalWidth;
      const height = image.naturalHeight;
      if (!width || !height) return;
      picker.querySelectorAll(".focal-crop").forEach(function (frame) {
        const ratio = parseFloat(frame.dataset.ratio);
        let boxW = width;
        let boxH = height;
        if (width / height > ratio) boxW = height * ratio;
        else boxH = width / ratio;
        const offsetX = cropOffset(focal.x, width, boxW);
        const offsetY = cropOffset(focal.y, height, boxH);
        frame.querySelector("img").style.objectPosition = offsetX * 100 + "% " + offsetY * 100 + "%";
      });
    }

    function show(src) {
      image.src = src;
      picker.querySelectorAll(".focal-crop img").forEach(function (img) {
        img.src = src;
      });
      stage.hidden = false;
      previews.hidden = false;
      empty.hidden = true;
    }

    stage.addEventListener("click", function (event) {
      if (!editable) return;
      const box = image.getBoundingClientRect();
      const x = clamp((event.clientX - box.left) / box.width, 0, 1);
      const y = clamp((event.clientY - box.top) / box.height, 0, 1);
      inputX.value = x.toFixed(3);
      inputY.value = y.toFixed(3);
      draw();
    });
    if (editable) {
      inputX.addEventListener("input", draw);
      inputY.addEventListener("input", draw);
    }
    image.addEventListener("load", draw);
    if (fileInput && editable) {
      // A chosen file is shown at once, so the focal point can be set before the first save.
      fileInput.addEventListener("change", function () {
        const file = fileInput.files && fileInput.files[0];
        if (!file || !file.type.startsWith("image/")) return;
        if (objectUrl) URL.revokeObjectURL(objectUrl);
        objectUrl = URL.createObjectURL(file);
        inputX.value = "0.5";
        inputY.value = "0.5";
        show(objectUrl);
      });
    }
    if (image.complete) draw();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".focal-picker").forEach(setUp);
  });
})();
