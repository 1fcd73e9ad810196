resource "aws_kms_key" "exports" {
  description             = "SSE-KMS key of example-analytics-exports"
  deletion_window_in_days = 30
  enable_key_rotation     = true

  # The key policy names Jane and the ETL writer, but not the ReportReader role.
  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "key-consolepolicy-3"
    Statement = [
      {
        Sid       = "Enable IAM User Permissions"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::444455556666:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Allow Jane to use the key"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_user.jane.arn }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = "*"
      },
      {
        Sid       = "Allow the ETL writer to encrypt uploads"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.etl_writer.arn }
        Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource  = "*"
      },
    ]
  })
}

resource "aws_kms_alias" "exports" {
  name          = "alias/analytics-exports"
  target_key_id = aws_kms_key.exports.key_id
}

resource "aws_s3_bucket" "exports" {
  bucket = "example-analytics-exports"
}

resource "aws_s3_bucket_ownership_controls" "exports" {
  bucket = aws_s3_bucket.exports.id

  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket_public_access_block" "exports" {
  bucket = aws_s3_bucket.exports.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.exports.arn
    }
    bucket_key_enabled = true
  }
}

data "aws_iam_policy_document" "exports_bucket" {
  statement {
    sid     = "AllowJaneRead"
    effect  = "Allow"
    actions = ["s3:GetObject", "s3:ListBucket"]
    resources = [
      aws_s3_bucket.exports.arn,
      "${aws_s3_bucket.exports.arn}/*",
    ]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_user.jane.arn]
    }
  }

  statement {
    sid       = "AllowReportReaderRead"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.exports.arn}/reports/*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.report_reader.arn]
    }
  }

  statement {
    sid       = "AllowEtlWriterUpload"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.exports.arn}/raw/*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.etl_writer.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "exports" {
  bucket = aws_s3_bucket.exports.id
  policy = data.aws_iam_policy_document.exports_bucket.json
}
