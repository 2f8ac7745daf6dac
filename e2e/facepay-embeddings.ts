/**
 * Prints the enrolment embeddings of the camera clip's person (camera.json's enrolWith images
 * through FaceEngine.embedFile) as JSON on stdout. The face-pay suite runs it once with
 * `node --import tsx`, so the face engine's worker thread runs under tsx, not Playwright's loader.
 */
import { enrolmentEmbeddings } from '../main/host/test-support/facepay';

process.stdout.write(JSON.stringify(await enrolmentEmbeddings()));
