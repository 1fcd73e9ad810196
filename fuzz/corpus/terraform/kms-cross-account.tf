terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "analytics"
  region = "us-east-1"
}

resource "aws_kms_key" "exports" {
  description         = "SSE-KMS key of example-analytics-exports"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "key-default-1"
    Statement = [
      {
        Sid       = "Enable IAM User Permissions"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::444455556666:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
    ]
  })
}

resource "aws_s3_bucket" "exports" {
  bucket = "example-analytics-exports"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.exports.arn
    }
  }
}

data "aws_iam_policy_document" "exports_bucket" {
  statement {
    sid       = "AllowReportReaderRead"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.exports.arn}/reports/*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.report_reader.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "exports" {
  bucket = aws_s3_bucket.exports.id
  policy = data.aws_iam_policy_document.exports_bucket.json
}

resource "aws_iam_role" "report_reader" {
  provider = aws.analytics
  name     = "ReportReader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "report_reader" {
  provider = aws.analytics
  name     = "read-exported-reports"
  role     = aws_iam_role.report_reader.id
  policy   = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ReadExportedReports",
          "Effect": "Allow",
          "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::example-analytics-exports/reports/*"
        },
        {
          "Sid": "DecryptExportedReports",
          "Effect": "Allow",
          "Action": "kms:Decrypt",
          "Resource": "${aws_kms_key.exports.arn}"
        }
      ]
    }
  POLICY
}
