/**
 * Which files the CloudFormation source reads, decided from the name and a few regular expressions
 * over the text: kept apart from the parsers so that offering a file to the source (or splitting the
 * claimed files into groups) loads no YAML or JSON parser.
 */

/** Extensions of the files the source reads (standard input, which has none, is judged by content). */
export const TEMPLATE_EXTENSIONS = /\.(json|ya?ml|template)$/i;
const FORMAT_VERSION = /\bAWSTemplateFormatVersion\b/;
const RESOURCES_KEY = /(^|[\s{,])["']?Resources["']?\s*:/m;
const RESOURCE_TYPE = /["']?Type["']?\s*:\s*["']?(AWS|Custom|Alexa)::[A-Za-z0-9]+/;
const TRANSFORM_KEY = /(^|[\s{,])["']?Transform["']?\s*:/m;

/** Does the text look like a CloudFormation template? (Cheap: a few regular expressions.) */
export function looksLikeCloudFormation(text: string): boolean {
  if (FORMAT_VERSION.test(text)) return true;
  return RESOURCES_KEY.test(text) && (RESOURCE_TYPE.test(text) || TRANSFORM_KEY.test(text));
}

/** A CDK cloud assembly's `manifest.json` (it lists the stack templates). */
export function isCdkManifest(path: string, text: string): boolean {
  const base = path.split(/[\\/]/).pop()?.toLowerCase();
  return (
    base === 'manifest.json' &&
    text.includes('"artifacts"') &&
    (text.includes('aws:cloudformation:stack') || text.includes('cdk:cloud-assembly'))
  );
}
