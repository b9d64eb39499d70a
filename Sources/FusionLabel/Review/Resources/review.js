(function () {
  'use strict';
  var data = window.REVIEW_DATA;
  var body = document.body;
  var state = { position: 0, selected: null, playing: null };
  var slider = document.getElementById('slider');
  var bev = document.getElementById('bev');
  var cameraCanvases = {};
  var images = {};

  function colorOf(type) { return data.classes[type] || '#dddddd'; }
  function isSelected(object) { return state.selected === object.uid; }

  function setUp() {
    if (data.frames.length === 0) {
      document.getElementById('frame-label').textContent = 'the scene has no frames';
      body.dataset.ready = '1';
      return;
    }
    slider.max = String(data.frames.length - 1);
    slider.addEventListener('input', function () { show(Number(slider.value)); });
    document.getElementById('play').addEventListener('click', togglePlay);
    var holder = document.getElementById('cameras');
    data.cameras.forEach(function (camera) {
      var figure = document.createElement('figure');
      var canvas = document.createElement('canvas');
      canvas.width = camera.width; canvas.height = camera.height;
      canvas.dataset.camera = camera.name;
      var caption = document.createElement('figcaption');
      caption.textContent = 'Camera ' + camera.name;
      figure.appendChild(canvas); figure.appendChild(caption); holder.appendChild(figure);
      cameraCanvases[camera.name] = canvas;
    });
    listFindings();
    setUp3D();
    var match = /frame=(\d+)/.exec(window.location.hash);
    show(match ? Math.min(Number(match[1]), data.frames.length - 1) : 0);
  }

  function togglePlay() {
    var button = document.getElementById('play');
    if (state.playing) { clearInterval(state.playing); state.playing = null; button.textContent = 'Play'; return; }
    button.textContent = 'Pause';
    state.playing = setInterval(function () { show((state.position + 1) % data.frames.length); }, 400);
  }

  function show(position) {
    state.position = position;
    slider.value = String(position);
    var outline = data.frames[position];
    document.getElementById('frame-label').textContent = 'frame ' + outline.index + ' (' + (position + 1) + '/' + data.frames.length + ', t = ' + (outline.timestamp - data.frames[0].timestamp).toFixed(2) + ' s)';
    body.dataset.ready = '0';
    load(position, function (content) {
      if (state.position !== position) { return; }
      draw(position, content);
      if (position + 1 < data.frames.length) { load(position + 1, function () {}); }
    });
  }

  // A frame's content comes from its own script, loaded once and kept while it is near.
  var loading = {};
  function load(position, done) {
    if (window.REVIEW_FRAMES[position]) { done(window.REVIEW_FRAMES[position]); return; }
    if (loading[position]) { loading[position].push(done); return; }
    loading[position] = [done];
    var script = document.createElement('script');
    script.src = data.frames[position].file;
    script.onload = function () {
      document.head.removeChild(script);
      var waiting = loading[position];
      delete loading[position];
      var content = window.REVIEW_FRAMES[position];
      forgetFarFrames(position);
      waiting.forEach(function (callback) { callback(content); });
    };
    script.onerror = function () { reportError('cannot load ' + data.frames[position].file); };
    document.head.appendChild(script);
  }
  function forgetFarFrames(near) {
    var kept = Object.keys(window.REVIEW_FRAMES).map(Number);
    kept.sort(function (a, b) { return Math.abs(a - near) - Math.abs(b - near); });
    kept.slice(20).forEach(function (position) { delete window.REVIEW_FRAMES[position]; });
  }

  function draw(position, content) {
    var outline = data.frames[position];
    var frame = { index: outline.index, timestamp: outline.timestamp, images: content.images, points: content.points, objects: content.objects };
    var flagged = frame.objects.filter(function (o) { return o.flags.length > 0; }).length;
    document.getElementById('counts').textContent = frame.objects.length + ' labels, ' + flagged + ' flagged for review';
    body.dataset.frame = String(position);
    body.dataset.bevBoxes = String(drawBEV(frame));
    var counts = {};
    data.cameras.forEach(function (camera) { counts[camera.name] = drawCamera(position, frame, camera); });
    body.dataset.cameraBoxes = JSON.stringify(counts);
    body.dataset.sceneBoxes = String(draw3D(frame));
    listLabels(frame);
    body.dataset.ready = '1';
  }

  function reportError(message) {
    window.REVIEW_ERRORS.push(message);
    body.dataset.errors = String(window.REVIEW_ERRORS.length);
    var pre = document.getElementById('errors');
    pre.hidden = false;
    pre.textContent = window.REVIEW_ERRORS.join('\n');
  }

  // Bird's-eye view: 60 m ahead, 20 m behind, 40 m to each side, x up the page.
  function drawBEV(frame) {
    var context = bev.getContext('2d');
    var scale = bev.height / 80, originX = bev.width / 2, originY = 60 * scale;
    function pixel(x, y) { return [originX - y * scale, originY - x * scale]; }
    context.fillStyle = '#0b0c0f'; context.fillRect(0, 0, bev.width, bev.height);
    context.strokeStyle = '#22252c'; context.lineWidth = 1;
    for (var metres = -40; metres <= 60; metres += 10) {
      var row = pixel(metres, 0)[1], column = pixel(0, metres)[0];
      context.beginPath(); context.moveTo(0, row); context.lineTo(bev.width, row); context.stroke();
      context.beginPath(); context.moveTo(column, 0); context.lineTo(column, bev.height); context.stroke();
    }
    var points = frame.points;
    for (var i = 0; i < points.length; i += 3) {
      var p = pixel(points[i], points[i + 1]);
      var height = Math.max(0, Math.min(1, (points[i + 2] + 2) / 4));
      context.fillStyle = 'rgb(' + Math.round(80 + 175 * height) + ',' + Math.round(90 + 100 * height) + ',' + Math.round(200 - 120 * height) + ')';
      context.fillRect(p[0], p[1], 1, 1);
    }
    var drawn = 0;
    frame.objects.forEach(function (object) {
      var corners = object.corners.slice(0, 4).map(function (c) { return pixel(c[0], c[1]); });
      context.strokeStyle = isSelected(object) ? '#ffffff' : colorOf(object.type);
      context.lineWidth = isSelected(object) ? 3 : 1.5;
      context.beginPath();
      corners.forEach(function (c, k) { if (k === 0) { context.moveTo(c[0], c[1]); } else { context.lineTo(c[0], c[1]); } });
      context.closePath(); context.stroke();
      // The heading: a line from the centre to the front face.
      var front = [(corners[0][0] + corners[1][0]) / 2, (corners[0][1] + corners[1][1]) / 2];
      var centre = [(corners[0][0] + corners[2][0]) / 2, (corners[0][1] + corners[2][1]) / 2];
      context.beginPath(); context.moveTo(centre[0], centre[1]); context.lineTo(front[0], front[1]); context.stroke();
      if (isSelected(object) || object.flags.length > 0) {
        context.fillStyle = isSelected(object) ? '#ffffff' : '#ffcf8a';
        context.font = '11px sans-serif';
        context.fillText(object.uid, corners[0][0] + 2, corners[0][1] - 2);
      }
      drawn += 1;
    });
    context.fillStyle = '#ffffff';
    context.beginPath(); context.moveTo(originX, originY - 8); context.lineTo(originX - 5, originY + 5); context.lineTo(originX + 5, originY + 5); context.fill();
    return drawn;
  }

  function drawCamera(position, frame, camera) {
    var canvas = cameraCanvases[camera.name];
    var context = canvas.getContext('2d');
    context.fillStyle = '#14151a'; context.fillRect(0, 0, canvas.width, canvas.height);
    var source = frame.images[camera.name];
    if (source) {
      var image = images[source];
      if (!image) {
        image = new Image();
        image.onload = function () { if (state.position === position) { drawCamera(position, frame, camera); } };
        image.src = source;
        images[source] = image;
      }
      if (image.complete && image.naturalWidth > 0) { context.drawImage(image, 0, 0, canvas.width, canvas.height); }
    }
    var drawn = 0;
    frame.objects.forEach(function (object) {
      var segments = object.views[camera.name];
      if (!segments) { return; }
      context.strokeStyle = isSelected(object) ? '#ffffff' : colorOf(object.type);
      context.lineWidth = isSelected(object) ? 3 : 1.5;
      context.beginPath();
      segments.forEach(function (line) {
        context.moveTo(line[0], line[1]);
        for (var k = 2; k < line.length; k += 2) { context.lineTo(line[k], line[k + 1]); }
      });
      context.stroke();
      drawn += 1;
    });
    return drawn;
  }

  // 3D view (three.js): points and box wireframes, orbit controls.
  var three = null;
  function setUp3D() {
    var holder = document.getElementById('scene3d');
    if (typeof THREE === 'undefined') {
      document.getElementById('scene3d-caption').textContent = '3D view: three.js not found next to the page (Debian: libjs-three)';
      return;
    }
    var renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    renderer.setSize(holder.clientWidth, holder.clientHeight);
    holder.appendChild(renderer.domElement);
    var scene = new THREE.Scene();
    var camera = new THREE.PerspectiveCamera(50, holder.clientWidth / holder.clientHeight, 0.1, 500);
    camera.up.set(0, 0, 1);
    camera.position.set(-25, 0, 22);
    var controls = new THREE.OrbitControls(camera, renderer.domElement);
    controls.target.set(15, 0, 0);
    controls.update();
    controls.addEventListener('change', function () { renderer.render(scene, camera); });
    three = { renderer: renderer, scene: scene, camera: camera, group: null };
  }

  var boxEdges = [0, 1, 1, 2, 2, 3, 3, 0, 4, 5, 5, 6, 6, 7, 7, 4, 0, 4, 1, 5, 2, 6, 3, 7];
  function draw3D(frame) {
    if (!three) { return 0; }
    if (three.group) { three.scene.remove(three.group); }
    var group = new THREE.Group();
    var positions = new THREE.Float32BufferAttribute(frame.points, 3);
    var cloud = new THREE.BufferGeometry();
    cloud.setAttribute('position', positions);
    group.add(new THREE.Points(cloud, new THREE.PointsMaterial({ size: 0.08, color: 0x8aa0c8 })));
    var drawn = 0;
    frame.objects.forEach(function (object) {
      var vertices = [];
      boxEdges.forEach(function (k) { vertices.push(object.corners[k][0], object.corners[k][1], object.corners[k][2]); });
      var geometry = new THREE.BufferGeometry();
      geometry.setAttribute('position', new THREE.Float32BufferAttribute(vertices, 3));
      var color = isSelected(object) ? '#ffffff' : colorOf(object.type);
      group.add(new THREE.LineSegments(geometry, new THREE.LineBasicMaterial({ color: color })));
      drawn += 1;
    });
    three.scene.add(group);
    three.group = group;
    three.renderer.render(three.scene, three.camera);
    return drawn;
  }

  function flagsHTML(flags, notes) {
    return flags.map(function (f) { return '<span class="flag">' + escapeHTML(f) + '</span>'; }).join('')
      + (notes || []).map(function (n) { return '<span class="note">' + escapeHTML(n) + '</span>'; }).join('');
  }
  function escapeHTML(text) {
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  function listLabels(frame) {
    var list = document.getElementById('labels');
    list.innerHTML = '';
    frame.objects.forEach(function (object) {
      var item = document.createElement('li');
      item.style.borderLeftColor = colorOf(object.type);
      item.className = isSelected(object) ? 'selected' : '';
      item.dataset.uid = object.uid;
      var confidence = object.confidence === null || object.confidence === undefined ? '' : ' ' + (100 * object.confidence).toFixed(0) + '%';
      item.innerHTML = escapeHTML(object.type) + ' <b>' + escapeHTML(object.uid) + '</b>' + (object.track ? ' track ' + escapeHTML(object.track) : '')
        + confidence + ' ' + flagsHTML(object.flags, object.notes);
      item.addEventListener('click', function () { select(object.uid); });
      list.appendChild(item);
    });
  }

  function listFindings() {
    var list = document.getElementById('findings');
    if (data.findings.length === 0) { list.innerHTML = '<li>none</li>'; return; }
    data.findings.forEach(function (finding) {
      var item = document.createElement('li');
      item.className = 'severity-' + finding.severity;
      item.textContent = 'frame ' + finding.frame + ', ' + finding.uid + ': ' + finding.rule + ' (' + finding.message + ')';
      item.addEventListener('click', function () {
        var position = data.frames.findIndex(function (f) { return f.index === finding.frame; });
        state.selected = finding.uid;
        if (position >= 0) { show(position); }
      });
      list.appendChild(item);
    });
  }

  function select(uid) {
    state.selected = state.selected === uid ? null : uid;
    show(state.position);
  }

  try {
    setUp();
  } catch (error) {
    reportError(String(error && error.stack || error));
  }
  body.dataset.errors = String(window.REVIEW_ERRORS.length);
})();
