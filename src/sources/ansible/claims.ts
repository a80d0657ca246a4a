/**
 * Which files the Ansible source reads, decided from the name and a look at the text: kept apart from
 * the reader so that offering a file to the source loads no YAML parser.
 */

const EXTENSIONS = /\.ya?ml$/i;
/** A task line running the IAM role module: `- community.aws.iam_role:` or `  iam_role:`. */
const USES_MODULE = /^[ \t-]*["']?(?:(?:amazon|community)\.aws\.)?iam_role["']?[ \t]*:/m;

/** Does this YAML file run the IAM role module? */
export function looksLikeAnsible(path: string, text: string): boolean {
  return EXTENSIONS.test(path) && USES_MODULE.test(text);
}
