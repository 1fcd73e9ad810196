data "aws_iam_policy_document" "github_oidc_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]
    }

    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:example-corp/www:ref:refs/heads/main"]
    }
  }
}

resource "aws_iam_role" "site_deploy" {
  provider           = aws.ci
  name               = "SiteDeploy"
  assume_role_policy = data.aws_iam_policy_document.github_oidc_trust.json
}

data "aws_iam_policy_document" "site_deploy" {
  statement {
    sid       = "UploadSite"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::example-corp-www/*"]
  }

  statement {
    sid       = "EncryptSiteObjects"
    actions   = ["kms:GenerateDataKey"]
    resources = [aws_kms_key.site.arn]
  }
}

resource "aws_iam_role_policy" "site_deploy" {
  provider = aws.ci
  name     = "deploy-site"
  role     = aws_iam_role.site_deploy.id
  policy   = data.aws_iam_policy_document.site_deploy.json
}
