/**
 * The shared DEV face set (../shared/faces relative to the project, or FACES_DIR): LFW images
 * with identities and verification pairs, spoof samples and camera clips. Read in place; never
 * copied into the project.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './models';

/** FACES_DIR when set, else `../shared/faces` beside the repository. */
export function facesDir(env: NodeJS.ProcessEnv = process.env, root: string = repoRoot): string {
  return resolve(env.FACES_DIR || resolve(root, '../shared/faces'));
}

export interface DevImage {
  /** Relative to the faces folder, e.g. lfw/Name/Name_0001.jpg. */
  file: string;
  identity: string;
}

export interface DevPair {
  a: string;
  b: string;
  same: boolean;
  fold: number;
}

export interface DevSet {
  dir: string;
  images: DevImage[];
  pairs: DevPair[];
  /** One image per identity, and the other images to identify against it. */
  gallery: string[];
  probes: string[];
  spoof: { file: string; label: 'live' | 'spoof' }[];
  camera: {
    face: { file: string; identity: string; enrolWith: string[] };
    empty: { file: string };
  };
}

interface Manifest {
  images: DevImage[];
  pairs: DevPair[];
  identification: { gallery: string[]; probes: string[] };
  spoof: { file: string; label: 'live' | 'spoof' }[];
}

export function loadDevSet(dir = facesDir()): DevSet {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const camera = JSON.parse(
    readFileSync(join(dir, 'camera/camera.json'), 'utf8'),
  ) as DevSet['camera'];
  return {
    dir,
    images: manifest.images.map(({ file, identity }) => ({ file, identity })),
    pairs: manifest.pairs,
    gallery: manifest.identification.gallery,
    probes: manifest.identification.probes,
    spoof: manifest.spoof.map(({ file, label }) => ({ file, label })),
    camera,
  };
}
