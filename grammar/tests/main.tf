resource "aws_iam_policy" "reader" {
  name = "reader"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Deny"
      Action   = ["s3:PutObject", "s3:*"]
      Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET/home/$${aws:username}/*"
      Condition = {
        StringNotEquals = { "aws:SourceVpce" = "vpce-1a2b3c4d" }
        "ForAllValues:StringLike" = { "kms:EncryptionContextKeys" = ["team"] }
      }
    }]
  })
}

resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": { "AWS": "arn:aws:iam::${var.account_id}:root" },
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
    "Condition": { "Bool": { "aws:SecureTransport": "true" } }
  }]
}
EOF
}

data "aws_iam_policy_document" "doc" {
  statement {
    effect    = "Deny"
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:*:${data.aws_caller_identity.current.account_id}:key/*"]
    condition {
      test     = "StringNotEqualsIfExists"
      variable = "kms:ViaService"
      values   = ["s3.us-east-1.amazonaws.com", "&{aws:username}"]
    }
  }
}
